import { For, type JSX } from 'solid-js';
import { conditionSegments } from '../../protocol/citations';

/**
 * A vote's or an opinion's conditions as written, each "markup N" (annotation N, العلامة N)
 * of a cited markup shown as a link made by `link`; the rest plain text in its own direction.
 */
export function ConditionText(props: { text: string; cited: readonly number[]; link: (n: number, text: string) => JSX.Element }) {
  return (
    <bdi data-testid="condition-text">
      <For each={conditionSegments(props.text, props.cited)}>{(s) => ('number' in s ? props.link(s.number, s.text) : s.text)}</For>
    </bdi>
  );
}
