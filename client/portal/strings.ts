/** Strings of the portal area, in each language; French is the shape the others follow. */
const fr = { title: 'Mes dossiers de permis de bâtir', welcome: 'Bienvenue, {{name}}' };

export const portalStrings: Record<'ar' | 'fr' | 'en', typeof fr> = {
  fr,
  ar: { title: 'ملفات رخص البناء الخاصة بي', welcome: 'مرحبًا، {{name}}' },
  en: { title: 'My building-permit dossiers', welcome: 'Welcome, {{name}}' },
};
