import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Complaint, ComplaintPhoto, OutboxMessage } from '../../db/models';
import { verifyAuditLog } from '../../server/services/audit';
import { ApiClient } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';

let t: TestServer;
let amina: ApiClient, youssef: ApiClient, secretary: ApiClient, secretaryTbk: ApiClient;
let gpsJpeg: Buffer, bigPng: Buffer;

/** A phone photo: EXIF with the camera, the owner's name and the GPS position of the house it was taken from. */
const phonePhoto = () => sharp({ create: { width: 800, height: 600, channels: 3, background: '#6a8' } })
  .withExif({
    IFD0: { Make: 'PhoneMaker', Model: 'P30', Copyright: 'Amina Hammami', Artist: 'Amina Hammami' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 46/1 48/1', GPSLongitudeRef: 'E', GPSLongitude: '8/1 41/1 24/1' },
  })
  .jpeg().toBuffer();

const photo = (client: ApiClient, id: number, bytes: Uint8Array, type = 'image/jpeg', name = 'photo.jpg') => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return client.request('POST', `/api/complaints/${id}/photos`, { raw: form });
};
const report = (client: ApiClient, extra: object = {}) => client.post('/api/complaints', {
  municipalityId: 1, category: 'public_lighting', description: 'Le lampadaire devant l\u2019école est éteint depuis une semaine.',
  point: { lat: 36.7791, lng: 8.6872 }, neighbourhood: 'Cité Ennour', ...extra,
});

beforeAll(async () => {
  t = await startTestServer();
  [amina, youssef, secretary, secretaryTbk] = await Promise.all(
    ['amina@example.tn', 'youssef@example.tn', 'secretary@ain-draham.tn', 'secretary@tabarka.tn'].map((e) => ApiClient.loggedIn(t.url, e)),
  );
  gpsJpeg = await phonePhoto();
  bigPng = await sharp({ create: { width: 4000, height: 3000, channels: 4, background: '#c84' } }).withMetadata({ density: 300 }).png().toBuffer();
}, 120_000);
afterAll(() => t?.close());

describe('a complaint with photos, from report to resolution', () => {
  let id: number;
  it('is received with its reference; the reporter is told', async () => {
    const res = await report(amina);
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({ status: 'received', reference: expect.stringMatching(/^ADR-RC-\d{4}-\d{4}$/), category: { code: 'public_lighting', nameAr: 'التنوير العمومي' },
      point: { lat: 36.7791, lng: 8.6872 }, neighbourhood: 'Cité Ennour', viewer: 'reporter', reporter: { nameFr: 'Amina Hammami' } });
    const mails = await OutboxMessage.findAll({ where: { toAddress: 'amina@example.tn', kind: 'complaint' } });
    expect(mails).toHaveLength(1);
    // The same notice texts as dossiers': Arabic then French, with an HTML part.
    expect(mails[0]!.subject).toBe(`[${res.body.reference}] Signalement reçu — تم تلقي الإشعار`);
    expect(mails[0]!.text.indexOf('تم تلقي إشعاركم')).toBeLessThan(mails[0]!.text.indexOf('Votre signalement'));
    expect(mails[0]!.html).toMatch(/<div lang="ar" dir="rtl"[^>]*>.*<hr><div lang="fr" dir="ltr"/s);
  });

  it('keeps a photo re-encoded, with no EXIF left: no GPS position, no camera, no name (read back with exifr)', async () => {
    expect((await exifr.gps(gpsJpeg))?.latitude).toBeCloseTo(36.78, 2);
    const res = await photo(amina, id, gpsJpeg);
    expect(res.status).toBe(201);
    const stored = await amina.get(`/api/complaints/${id}/photos/${res.body.id}`);
    expect(stored.status).toBe(200);
    expect(stored.headers.get('content-type')).toBe('image/jpeg');
    const bytes = stored.body as Buffer;
    expect(bytes.equals(gpsJpeg)).toBe(false);
    expect(await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: true, iptc: true, icc: true, jfif: false, ihdr: false })).toBeUndefined();
    expect(await exifr.gps(bytes)).toBeUndefined();
    const meta = await sharp(bytes).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 800, height: 600 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(bytes.includes(Buffer.from('Amina'))).toBe(false);
    expect(bytes.includes(Buffer.from('PhoneMaker'))).toBe(false);
  });

  it('scales a large PNG down to a JPEG of 2048 px at most', async () => {
    const res = await photo(amina, id, bigPng, 'image/png', 'grand.png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 2048, height: 1536 });
  });

  it('refuses what is not a JPEG or PNG image, a damaged one, a 30 MB photo, and a fourth photo; nothing is kept', async () => {
    const before = await ComplaintPhoto.count();
    const text = await photo(amina, id, Buffer.from('GIF89a but not really an image at all'), 'image/jpeg');
    expect([text.status, text.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const pdf = await photo(amina, id, Buffer.from('%PDF-1.7\n%%EOF\n'), 'image/jpeg');
    expect([pdf.status, pdf.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const damaged = await photo(amina, id, gpsJpeg.subarray(0, 600), 'image/jpeg');
    expect(damaged.status).toBe(422);
    expect(damaged.body.error.code).toBe('invalid_image');
    const huge = Buffer.concat([gpsJpeg, Buffer.alloc(30 * 1024 * 1024, 0x20)]);
    const tooBig = await photo(amina, id, huge);
    expect([tooBig.status, tooBig.body.error.code]).toEqual([413, 'file_too_large']);
    expect(await ComplaintPhoto.count()).toBe(before);
    expect((await photo(amina, id, gpsJpeg)).status).toBe(201);
    const fourth = await photo(amina, id, gpsJpeg);
    expect([fourth.status, fourth.body.error.code]).toEqual([409, 'conflict']);
    expect((await amina.get(`/api/complaints/${id}`)).body.photos).toHaveLength(3);
  });

  it('is seen by nobody else: another person, another municipality\'s office (404)', async () => {
    for (const other of [youssef, secretaryTbk]) {
      expect((await other.get(`/api/complaints/${id}`)).status).toBe(404);
      expect((await other.get(`/api/complaints/${id}/photos/1`)).status).toBe(404);
      expect((await other.post(`/api/complaints/${id}/resolve`, {})).status).toBe(404);
    }
    expect((await youssef.get('/api/complaints')).body).toEqual([]);
  });

  it('the office assigns it to a service, writes to the reporter, resolves it; the reporter follows each step', async () => {
    expect((await amina.post(`/api/complaints/${id}/resolve`, {})).status).toBe(403);
    expect((await secretary.get('/api/complaints')).body.map((c: any) => c.id)).toContain(id);
    const assigned = await secretary.post(`/api/complaints/${id}/assign`, { service: 'Service de l\u2019éclairage public' });
    expect(assigned.body).toMatchObject({ status: 'in_progress', service: 'Service de l\u2019éclairage public', reporter: { nameFr: 'Amina Hammami' } });
    // Taken in hand: the reporter adds no more photos.
    expect((await photo(amina, id, gpsJpeg)).body.error.code).toBe('invalid_transition');
    expect((await secretary.post(`/api/complaints/${id}/messages`, { body: 'Une équipe passe jeudi.' })).status).toBe(201);
    const resolved = await secretary.post(`/api/complaints/${id}/resolve`, { note: 'Lampe remplacée.' });
    expect(resolved.body.status).toBe('resolved');
    expect(resolved.body.resolvedAt).not.toBeNull();
    const seen = (await amina.get(`/api/complaints/${id}`)).body;
    expect(seen.timeline.map((e: any) => e.action)).toEqual(['receive', 'assign', 'resolve']);
    expect(seen.messages.map((m: any) => m.body)).toEqual(['Une équipe passe jeudi.']);
    expect(await OutboxMessage.count({ where: { toAddress: 'amina@example.tn', kind: 'complaint' } })).toBe(4);
    expect((await secretary.post(`/api/complaints/${id}/reject`, { reason: 'trop tard' })).body.error.code).toBe('invalid_transition');
  });

  it('a report may be rejected with a reason', async () => {
    const { id: other } = (await report(youssef, { category: 'noise', description: 'Musique', point: undefined, address: 'Avenue Habib Bourguiba' })).body;
    expect((await secretary.post(`/api/complaints/${other}/reject`, {})).status).toBe(400);
    const res = await secretary.post(`/api/complaints/${other}/reject`, { reason: 'Fête autorisée jusqu\u2019à minuit.' });
    expect(res.body).toMatchObject({ status: 'rejected', rejectionReason: 'Fête autorisée jusqu\u2019à minuit.' });
  });
});

describe('anonymous reports, categories and bad input', () => {
  it('an anonymous report hides its reporter from the office, not from the reporter', async () => {
    const { id } = (await report(youssef, { category: 'roads', description: 'Nid-de-poule', anonymous: true })).body;
    expect((await secretary.get(`/api/complaints/${id}`)).body.reporter).toBeNull();
    expect((await youssef.get(`/api/complaints/${id}`)).body.reporter).toMatchObject({ nameFr: 'Youssef Gasmi' });
  });

  it('lists the municipality\'s categories', async () => {
    const codes = (await amina.get('/api/complaints/categories?municipalityId=1')).body.map((c: any) => c.code);
    expect(codes).toEqual(['waste_collection', 'public_lighting', 'roads', 'water_sewers', 'noise', 'administrative_delay', 'other']);
  });

  it('a report to another municipality than one\'s own is refused', async () => {
    expect((await report(amina, { municipalityId: 2 })).status).toBe(403);
  });

  it.each([
    ['an unknown category', { category: 'aliens' }],
    ['neither a point nor an address', { point: undefined }],
    ['a point off the globe', { point: { lat: 91, lng: 0 } }],
    ['no description', { description: '  ' }],
    ['an unknown field', { reporterId: 3 }],
  ])('%s → 400 invalid_payload, nothing written', async (_name, extra) => {
    const before = await Complaint.count();
    const res = await report(amina, extra);
    expect([res.status, res.body.error.code]).toEqual([400, 'invalid_payload']);
    expect(await Complaint.count()).toBe(before);
  });
});

describe('the public list and the median time to resolve', () => {
  it('shows reports by category and neighbourhood without the reporter, their words or the exact point', async () => {
    const list = await new ApiClient(t.url).get('/api/register/complaints?municipalityId=1');
    expect(list.status).toBe(200);
    expect(list.body.length).toBe(3);
    const text = JSON.stringify(list.body);
    for (const personal of ['Amina', 'Youssef', 'lampadaire', 'Nid-de-poule', '36.77', 'reporter', 'description']) expect(text).not.toContain(personal);
    expect(list.body.find((r: any) => r.category === 'public_lighting')).toMatchObject({ neighbourhood: 'Cité Ennour', status: 'resolved' });
  });

  it('gives per category the open, resolved and rejected counts and the median days to resolve', async () => {
    // Two more lighting reports resolved after 2 and 6 days: the median of (≈0, 2, 6) is 2.
    for (const days of [2, 6]) {
      const { id } = (await report(youssef)).body;
      await secretary.post(`/api/complaints/${id}/resolve`, {});
      await Complaint.update({ createdAt: new Date(Date.now() - days * 86_400_000) }, { where: { id }, silent: true });
    }
    const stats = (await new ApiClient(t.url).get('/api/register/complaints/statistics?municipalityId=1')).body;
    expect(stats.find((s: any) => s.category === 'public_lighting')).toEqual({ category: 'public_lighting', open: 0, resolved: 3, rejected: 0, medianDaysToResolve: 2 });
    expect(stats.find((s: any) => s.category === 'noise')).toMatchObject({ rejected: 1, medianDaysToResolve: null });
    expect(stats.find((s: any) => s.category === 'roads')).toMatchObject({ open: 1 });
  });

  it('every step is in the audit chain, which verifies', async () => {
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });
});

describe('the map point must lie inside the municipality', () => {
  it.each([
    ['in Tabarka, not Ain Draham', { lat: 36.955, lng: 8.757 }],
    ['in Tunis', { lat: 36.8, lng: 10.18 }],
    ['just east of the outline\'s eastern vertex', { lat: 36.78, lng: 8.7901 }],
  ])('a point %s → 422 point_outside_municipality, nothing written', async (_name, point) => {
    const [complaints, mails] = [await Complaint.count(), await OutboxMessage.count()];
    const res = await report(amina, { point });
    expect([res.status, res.body.error.code, res.body.error.details]).toEqual([422, 'point_outside_municipality', { municipalityCode: 'ADR' }]);
    expect([await Complaint.count(), await OutboxMessage.count()]).toEqual([complaints, mails]);
  });

  it('a point on the outline\'s eastern vertex is taken as inside', async () => {
    const res = await report(amina, { point: { lat: 36.78, lng: 8.79 } });
    expect([res.status, res.body.point]).toEqual([201, { lat: 36.78, lng: 8.79 }]);
  });
});
