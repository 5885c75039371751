import { createMemo, Show } from 'solid-js';
import { t } from '../i18n';

/** A municipality's outline as [lat, lng] points (approximate, drawn for the picker; not a cadastral boundary). */
const OUTLINES: Record<string, [number, number][]> = {
  ADR: [[36.845, 8.62], [36.85, 8.7], [36.83, 8.77], [36.78, 8.79], [36.73, 8.76], [36.71, 8.69], [36.73, 8.62], [36.79, 8.6]],
  TBK: [[36.97, 8.7], [36.965, 8.8], [36.93, 8.82], [36.9, 8.78], [36.9, 8.7], [36.93, 8.68]],
};

export type LatLng = { lat: number; lng: number };

const SIZE = 300;

/**
 * A plain coordinate picker that needs no map tiles (it works offline and calls no third
 * party): the municipality's outline drawn as SVG on a lat/lng grid; a tap picks the point.
 */
export function MapPicker(props: { municipalityCode: string; value: LatLng | undefined; onPick: (p: LatLng) => void }) {
  const outline = () => OUTLINES[props.municipalityCode] ?? OUTLINES.ADR!;
  const box = createMemo(() => {
    const lats = outline().map((p) => p[0]), lngs = outline().map((p) => p[1]);
    const pad = 0.01;
    return { minLat: Math.min(...lats) - pad, maxLat: Math.max(...lats) + pad, minLng: Math.min(...lngs) - pad, maxLng: Math.max(...lngs) + pad };
  });
  const x = (lng: number) => ((lng - box().minLng) / (box().maxLng - box().minLng)) * SIZE;
  const y = (lat: number) => ((box().maxLat - lat) / (box().maxLat - box().minLat)) * SIZE;
  const pick = (e: MouseEvent) => {
    const rect = (e.currentTarget as SVGSVGElement).getBoundingClientRect();
    const fx = (e.clientX - rect.left) / rect.width, fy = (e.clientY - rect.top) / rect.height;
    const round = (v: number) => Math.round(v * 1e5) / 1e5;
    props.onPick({ lat: round(box().maxLat - fy * (box().maxLat - box().minLat)), lng: round(box().minLng + fx * (box().maxLng - box().minLng)) });
  };
  return (
    <div class="map-picker">
      {/* North up, west left in every language: SVG coordinates do not follow the page direction. */}
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-label={t('cases.point')} data-testid="map" onClick={pick}
        style={{ width: '100%', 'max-width': '320px', height: 'auto', cursor: 'crosshair', 'touch-action': 'manipulation' }}>
        <rect x="0" y="0" width={SIZE} height={SIZE} fill="#eef4ee" />
        <polygon points={outline().map(([lat, lng]) => `${x(lng)},${y(lat)}`).join(' ')} fill="#d4e8d0" stroke="#3b6e3b" stroke-width="2" />
        <Show when={props.value}>{(p) => <circle cx={x(p().lng)} cy={y(p().lat)} r="6" fill="#c0392b" stroke="#fff" stroke-width="2" data-testid="map-point" />}</Show>
      </svg>
      <p class="muted" data-testid="point-text">
        {props.value ? t('cases.pointChosen', { lat: String(props.value.lat), lng: String(props.value.lng) }) : t('cases.noPoint')}
      </p>
    </div>
  );
}
