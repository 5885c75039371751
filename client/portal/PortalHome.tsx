import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { CASE_KINDS } from '../../protocol/cases';
import { CaseList } from '../cases/CaseList';
import { locale, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { localName } from '../lib/dossiers';
import { me } from '../lib/session';

/** The applicant's home: all their cases (dossiers, requests for information, complaints) in one list, and a form to start a new dossier. */
export function PortalHome() {
  const municipalityId = () => me()?.memberships.find((m) => m.role === 'applicant')?.municipalityId ?? me()?.memberships[0]?.municipalityId;
  const [types] = createResource(municipalityId, (id) => api.dossiers.types(id));
  const [error, setError] = createSignal('');
  const navigate = useNavigate();

  async function create(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const num = (k: string) => (f.get(k) === '' ? undefined : Number(f.get(k)));
    const text = (k: string) => String(f.get(k) ?? '');
    try {
      // The browser checked the required fields; the server checks everything again.
      const d = await api.dossiers.create({
        municipalityId: municipalityId()!, typeCode: text('typeCode'),
        location: { address: text('address'), parcelRef: text('parcelRef'), lat: num('lat'), lng: num('lng') },
        coveredAreaM2: num('coveredAreaM2')!, levels: num('levels')!,
        nearProtectedSite: f.get('nearProtectedSite') === 'on', localPlanInDrafting: f.get('localPlanInDrafting') === 'on',
      });
      navigate(`/portal/dossiers/${d.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? t('portal.errors.generic', { message: err.message }) : String(err));
    }
  }

  return (
    <section class="stack">
      <h1>{t('portal.title')}</h1>
      <p data-testid="welcome">{t('portal.welcome', { name: (locale() === 'ar' ? me()?.nameAr : me()?.nameFr) ?? '' })}</p>
      <h2>{t('caseList.mine')}</h2>
      <div class="row">
        <A class="button" href="/portal/complaints/new">{t('cases.report')}</A>
        <A class="button secondary" href="/portal/information/new">{t('information.ask')}</A>
      </div>
      <CaseList office={false} kinds={CASE_KINDS} />
      <details class="card">
        <summary>{t('portal.newDossier')}</summary>
        <form class="stack" onSubmit={create} data-testid="new-dossier">
          <label>{t('portal.type')}
            <select name="typeCode" required>
              <For each={types()}>{(ty) => <option value={ty.code}>{localName(ty)}</option>}</For>
            </select>
          </label>
          <label>{t('portal.address')}<input name="address" required maxLength={300} /></label>
          <label>{t('portal.parcelRef')}<input name="parcelRef" required maxLength={64} /></label>
          <div class="row">
            <label>{t('portal.lat')}<input name="lat" type="number" step="any" min="-90" max="90" /></label>
            <label>{t('portal.lng')}<input name="lng" type="number" step="any" min="-180" max="180" /></label>
          </div>
          <div class="row">
            <label>{t('portal.coveredArea')}<input name="coveredAreaM2" type="number" step="any" min="1" required /></label>
            <label>{t('portal.levels')}<input name="levels" type="number" min="0" max="200" required /></label>
          </div>
          <label class="check"><input type="checkbox" name="nearProtectedSite" />{t('portal.nearProtectedSite')}</label>
          <label class="check"><input type="checkbox" name="localPlanInDrafting" />{t('portal.localPlanInDrafting')}</label>
          <Show when={error()}><p class="error">{error()}</p></Show>
          <button type="submit">{t('portal.create')}</button>
        </form>
      </details>
    </section>
  );
}
