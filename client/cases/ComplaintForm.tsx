import { useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { FilePicker } from '../FilePicker';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { localName } from '../lib/dossiers';
import { me } from '../lib/session';
import { MapPicker, outsideMunicipality, type LatLng } from './MapPicker';

/** A person reports a problem: category, words, a point on the map (or an address), up to three photos. */
export function ComplaintForm() {
  const municipalityId = () => me()?.memberships.find((m) => m.role === 'applicant')?.municipalityId;
  const [categories] = createResource(municipalityId, (id) => api.complaints.categories(id));
  const [towns] = createResource(() => api.municipalities.list());
  const code = () => towns()?.find((m) => m.id === municipalityId())?.code ?? 'ADR';
  const [point, setPoint] = createSignal<LatLng>();
  const [photos, setPhotos] = createSignal<File[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const navigate = useNavigate();

  async function send(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    if (!point() && !text('address')) return setError(t('cases.errors.point'));
    if (outsideMunicipality(code(), point())) return setError(t('cases.errors.pointOutside'));
    setBusy(true);
    setError('');
    try {
      const c = await api.complaints.create({
        municipalityId: municipalityId()!, category: text('category'), description: text('description'), point: point(),
        address: text('address') || undefined, neighbourhood: text('neighbourhood') || undefined, anonymous: f.get('anonymous') === 'on',
      });
      for (const photo of photos().slice(0, 3)) await api.complaints.addPhoto(c.id, photo, () => {});
      navigate(`/portal/complaints/${c.id}`);
    } catch (err) {
      setError(t('cases.errors.generic', { message: err instanceof ApiError ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="stack">
      <h1>{t('cases.report')}</h1>
      <form class="stack card" onSubmit={send} data-testid="new-complaint">
        <label>{t('cases.category')}
          <select name="category" required>
            <For each={categories()}>{(c) => <option value={c.code}>{localName(c)}</option>}</For>
          </select>
        </label>
        <label>{t('cases.description')}<textarea name="description" rows={4} required maxLength={4000} /></label>
        <div class="stack">
          <span>{t('cases.point')}</span>
          <MapPicker municipalityCode={code()} value={point()} onPick={(p) => { setPoint(p); setError(''); }} />
        </div>
        <label>{t('cases.address')}<input name="address" maxLength={300} /></label>
        <label>{t('cases.neighbourhood')}<input name="neighbourhood" maxLength={100} /></label>
        <FilePicker caption={t('cases.photos')} name="photos" accept="image/jpeg,image/png" multiple data-testid="photos" onFiles={(files) => setPhotos(files.slice(0, 3))} />
        <p class="muted">{t('cases.photosNote')}</p>
        <label class="check"><input type="checkbox" name="anonymous" />{t('cases.anonymous')}</label>
        <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
        <button type="submit" disabled={busy()}>{busy() ? t('cases.sending') : t('cases.send')}</button>
      </form>
    </section>
  );
}
