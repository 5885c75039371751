/**
 * A file's name as people gave it, isolated in its own direction (its first strong letter's):
 * an Arabic name keeps ".pdf" at its end, on the left, in an Arabic or a French page alike,
 * and the words around it (version, pages) stay where they are.
 */
export function FileName(props: { name: string }) {
  return <bdi dir="auto" class="file-name">{props.name}</bdi>;
}
