import { createMemo, For, Show } from 'solid-js';
import { formatMeasurement, formatRatio } from '../../../protocol/markupGeometry';
import { MARKUP_COLORS, MARKUP_TEXT_MAX_CHARS, type Markup, type PageScale } from '../../../protocol/markups';
import { locale, t } from '../../i18n';
import { localName } from '../../lib/dossiers';
import type { MeetingConnection } from '../MeetingConnection';
import { TOOLS, type Board } from './board';
import type { MarkupStore } from './store';

const personName = (n: { ar: string; fr: string }) => (locale() === 'ar' ? n.ar : n.fr);

/** The page's scale as drawings state it, and where it comes from. */
export function ScaleLine(props: { scale: PageScale | null }) {
  return (
    <p class="markup-scale muted" data-testid="markup-scale" data-source={props.scale?.source ?? 'none'}>
      {(() => {
        const s = props.scale;
        if (!s) return t('markups.noScale');
        const ratio = formatRatio(s.ratio ?? 0, locale());
        if (s.source === 'pdf') return t('markups.scaleFromPdf', { ratio });
        return s.by ? t('markups.scaleCalibrated', { ratio, name: personName(s.by) }) : t('markups.scale', { ratio });
      })()}
    </p>
  );
}

function Asking(props: { board: Board }) {
  let input!: HTMLInputElement;
  const asking = () => props.board.draft()?.asking;
  const submit = (e: Event) => {
    e.preventDefault();
    if (asking() === 'metres') void props.board.submitCalibration(Number(input.value.replace(',', '.')));
    else props.board.submitText(input.value);
  };
  return (
    <form class="markup-ask" onSubmit={submit}>
      <label>
        {asking() === 'metres' ? t('markups.calibrateLength') : t('markups.noteText')}{' '}
        <Show when={asking() === 'metres'} fallback={<input ref={(el) => { input = el; queueMicrotask(() => el.focus()); }} data-testid="markup-text" maxLength={MARKUP_TEXT_MAX_CHARS} dir="auto" required />}>
          <input ref={(el) => { input = el; queueMicrotask(() => el.focus()); }} data-testid="calibrate-metres" inputMode="decimal" pattern="[0-9]+([.,][0-9]+)?" required />
        </Show>
      </label>
      <button type="submit" data-testid="markup-save">{t('markups.save')}</button>
      <button type="button" class="secondary" onClick={() => props.board.cancel()}>{t('markups.cancel')}</button>
    </form>
  );
}

/**
 * The markup controls above the shared page: the scale of the page, the tools and colours
 * (for who may draw on the presented version), undo, the chair's drawing rights and the
 * item's numbered list of markups with the chair's delete.
 */
export function MarkupTools(props: {
  connection: MeetingConnection;
  store: MarkupStore;
  board: Board;
  drawing: boolean;
  scale: PageScale | null;
  presenterId: number | null;
}) {
  const c = props.connection;
  const isChair = () => c.state.self?.seat === 'chair';
  const shown = createMemo(() => props.store.markups.filter((m) => !m.deletedAt));
  const others = () => c.state.participants.filter((p) => p.status === 'present' && p.userId !== props.presenterId);
  const hint = () => {
    const tool = props.board.tool();
    return tool === 'calibrate' ? t('markups.calibrateHint') : tool === 'area' ? t('markups.areaHint') : tool === 'text' ? t('markups.noteHint') : '';
  };
  const describe = (m: Markup) =>
    [t(`markups.tool.${m.kind}`), t('markups.page', { page: String(m.page) }), t('markups.by', { name: personName(m.authorName) }),
      m.measurement ? formatMeasurement(m.measurement, locale()) : '', m.text ?? ''].filter(Boolean).join(' · ');

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.board.cancel();
    if (e.key === 'Enter' && props.board.draft()?.tool === 'area') props.board.finishArea();
  };

  return (
    <div class="markup-tools" data-testid="markup-tools" onKeyDown={onKey}>
      <ScaleLine scale={props.scale} />
      <Show when={props.drawing}>
        <div class="markup-toolbar" role="toolbar" aria-label={t('markups.tools')}>
          <For each={TOOLS}>
            {(tool) => (
              <button type="button" class="secondary tool" data-testid={`markup-tool-${tool}`} aria-pressed={props.board.tool() === tool}
                onClick={() => props.board.choose(tool)}>
                {t(`markups.tool.${tool}`)}
              </button>
            )}
          </For>
          <span class="markup-colours" role="radiogroup" aria-label={t('markups.colours')}>
            <For each={MARKUP_COLORS}>
              {(colour) => (
                <button type="button" role="radio" class={`swatch colour-${colour}`} data-testid={`markup-colour-${colour}`} aria-checked={props.board.color() === colour}
                  aria-label={t(`markups.colour.${colour}`)} title={t(`markups.colour.${colour}`)} onClick={() => props.board.setColor(colour)} />
              )}
            </For>
          </span>
          <button type="button" class="secondary" data-testid="markup-undo" onClick={() => void props.board.undo()}>{t('markups.undo')}</button>
          <Show when={props.board.draft()?.tool === 'area'}>
            <button type="button" data-testid="markup-finish-area" onClick={() => props.board.finishArea()}>{t('markups.finishArea')}</button>
          </Show>
        </div>
        <Show when={hint()}>{(h) => <p class="muted markup-hint">{h()}</p>}</Show>
        <Show when={props.board.draft()?.asking}><Asking board={props.board} /></Show>
      </Show>
      <Show when={props.board.error()}>{(e) => <p class="error" role="alert">{t('markups.refused', { message: e() })}</p>}</Show>
      <Show when={isChair() && others().length}>
        <details class="markup-rights">
          <summary>{t('markups.drawing')}</summary>
          <ul>
            <For each={others()}>
              {(p) => (
                <li>
                  <label>
                    <input type="checkbox" data-testid={`may-draw-${p.userId}`} checked={props.store.drawers.includes(p.userId)}
                      onChange={(e) => void c.request('setDrawing', { userId: p.userId, allowed: e.currentTarget.checked }).catch(() => undefined)} />{' '}
                    {localName(p)}
                  </label>
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
      <Show when={shown().length}>
        <details class="markup-list">
          <summary>{t('markups.list', { n: String(shown().length) })}</summary>
          <ol>
            <For each={shown()}>
              {(m) => (
                <li data-testid={`markup-item-${m.number}`} value={m.number}>
                  <strong>{t('markups.number', { n: String(m.number) })}</strong> <bdi>{describe(m)}</bdi>
                  <Show when={isChair()}>
                    {' '}<button type="button" class="secondary" data-testid={`markup-delete-${m.number}`} onClick={() => void props.board.remove(m.id)}>
                      {t('markups.delete', { n: String(m.number) })}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ol>
        </details>
      </Show>
    </div>
  );
}
