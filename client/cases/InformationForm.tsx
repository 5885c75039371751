import { useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { ACCESS_FORMS, type AccessForm } from '../../protocol/informationRequests';
import { t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { me } from '../lib/session';

/** A person asks the municipality for information (Law 2016-22): what, in what form, and whether life or liberty depends on it. */
export function InformationForm() {
  const municipalityId = () => me()?.memberships.find((m) => m.role === 'applicant')?.municipalityId;
  const [error, setError] = createSignal('');
  const navigate = useNavigate();
  async function send(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const r = await api.informationRequests.create({
        municipalityId: municipalityId()!, subject: String(f.get('subject')).trim(), description: String(f.get('description')).trim(),
        accessForm: f.get('accessForm') as AccessForm, lifeOrLiberty: f.get('lifeOrLiberty') === 'on',
      });
      navigate(`/portal/information/${r.id}`);
    } catch (err) {
      setError(t('information.errors.generic', { message: err instanceof ApiError ? err.message : String(err) }));
    }
  }
  return (
    <section class="stack">
      <h1>{t('information.ask')}</h1>
      <form class="stack card" onSubmit={send} data-testid="new-information-request">
        <label>{t('information.subject')}<input name="subject" required maxLength={300} /></label>
        <label>{t('information.description')}<textarea name="description" rows={4} required maxLength={4000} /></label>
        <label>{t('information.accessForm')}
          <select name="accessForm">
            <For each={ACCESS_FORMS}>{(a) => <option value={a} selected={a === 'electronic_copy'}>{t(`information.form.${a}`)}</option>}</For>
          </select>
        </label>
        <label class="check"><input type="checkbox" name="lifeOrLiberty" />{t('information.lifeOrLiberty')}</label>
        <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
        <button type="submit">{t('information.send')}</button>
      </form>
    </section>
  );
}
