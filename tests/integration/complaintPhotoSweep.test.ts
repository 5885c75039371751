import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplaintPhoto } from '../../db/models';
import { DocumentStore } from '../../server/services/documentStore';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(() => t?.close());

const upload = (client: ApiClient, id: number, bytes: Buffer) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
  return client.request('POST', `/api/complaints/${id}/photos`, { raw: form });
};
const storedFiles = (dataDir: string) => {
  const root = path.join(dataDir, 'documents', 'sha256');
  return fs.existsSync(root) ? fs.readdirSync(root).flatMap((shard) => fs.readdirSync(path.join(root, shard))) : [];
};

describe('complaint photos under the pending marks, as dossier documents', () => {
  it('a photo whose row never committed (a fourth one, refused in its transaction) is swept at the next start; the committed ones stay', async () => {
    const amina = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const { id } = (await amina.post('/api/complaints', {
      municipalityId: 1, category: 'roads', description: 'Nid-de-poule devant la poste.', point: { lat: 36.7791, lng: 8.6872 },
    })).body;
    // Four photos of their own colours: four different re-encoded contents.
    const photos = await Promise.all(['#a33', '#3a3', '#33a', '#aa3'].map((background) =>
      sharp({ create: { width: 64, height: 48, channels: 3, background } }).png().toBuffer()));
    for (const p of photos.slice(0, 3)) expect((await upload(amina, id, p)).status).toBe(201);
    const before = new Set(storedFiles(t.dataDir));
    const fourth = await upload(amina, id, photos[3]!);
    expect([fourth.status, fourth.body.error.code]).toEqual([409, 'conflict']);
    // Its re-encoded content was kept (synced, marked pending) before the transaction refused it.
    const orphans = storedFiles(t.dataDir).filter((f) => !before.has(f));
    expect(orphans).toHaveLength(1);
    expect(fs.readdirSync(path.join(t.dataDir, 'documents', 'pending'))).toHaveLength(1);
    const committed = (await ComplaintPhoto.findAll({ where: { complaintId: id } })).map((p) => p.sha256);
    expect(committed).toHaveLength(3);

    await t.close({ keep: true });
    t = await startTestServer(() => {}, { store: t.store });
    expect(fs.existsSync(path.join(t.dataDir, 'documents', DocumentStore.relativePath(orphans[0]!)))).toBe(false);
    for (const sha of committed) expect(fs.existsSync(path.join(t.dataDir, 'documents', DocumentStore.relativePath(sha)))).toBe(true);
    expect(fs.readdirSync(path.join(t.dataDir, 'documents', 'pending'))).toEqual([]);
    const again = await ApiClient.loggedIn(t.url, 'amina@example.tn');
    const photo = (await ComplaintPhoto.findOne({ where: { complaintId: id } }))!;
    expect((await again.get(`/api/complaints/${id}/photos/${photo.id}`)).status).toBe(200);
  }, 120_000);
});
