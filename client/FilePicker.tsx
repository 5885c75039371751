import { createSignal, createUniqueId, splitProps, type JSX } from 'solid-js';
import { t } from './i18n';
import { FileName } from './FileName';

/**
 * A file field in the page's language. The browser's own file input speaks the browser's
 * language ("Choose file / No file chosen" on an Arabic page), so the input is only visually
 * hidden: a label styled as a button opens it, and the chosen file's name (or "no file
 * chosen") shows beside it, isolated in its own direction so "مخطط.pdf" keeps its extension
 * where it belongs. The input keeps the focus (Tab reaches it, Space or Enter opens the
 * chooser); the button shows the focus ring.
 */
export function FilePicker(props: {
  /** The button's text ("Choose a file" by default). */
  label?: string;
  /** What the file is for, said above the button. */
  caption?: string;
  onFiles?: (files: File[], input: HTMLInputElement) => void;
} & Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'type' | 'id' | 'class' | 'onChange'>) {
  const [own, input] = splitProps(props, ['label', 'caption', 'onFiles']);
  const id = createUniqueId();
  const [chosen, setChosen] = createSignal<string[]>([]);
  const picker = (
    <span class="file-picker">
      <input {...input} type="file" id={id} class="visually-hidden" onChange={(e) => {
        const files = [...(e.currentTarget.files ?? [])];
        setChosen(files.map((f) => f.name));
        own.onFiles?.(files, e.currentTarget);
      }} />
      <label for={id} class="button">{own.label ?? t('file.choose')}</label>
      <span class="muted file-chosen" data-testid="file-chosen">
        {chosen().length ? chosen().map((name, i) => <>{i ? ', ' : ''}<FileName name={name} /></>) : t('file.none')}
      </span>
    </span>
  );
  return own.caption === undefined ? picker : <div class="stack"><span>{own.caption}</span>{picker}</div>;
}
