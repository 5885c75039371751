/** Shell strings in French: the shape every other language follows. Each area keeps its own strings.ts. */
export const fr = {
  app: { name: 'Lajna', tagline: 'Commission des permis de bâtir' },
  nav: { portal: 'Mes dossiers', office: 'Secrétariat', meeting: 'Séances', public: 'Séances publiques', login: 'Connexion', logout: 'Déconnexion' },
  lang: { label: 'Langue', ar: 'العربية', fr: 'Français', en: 'English' },
  login: {
    title: 'Connexion',
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    failed: 'Adresse e-mail ou mot de passe incorrect.',
    tooMany: 'Trop de tentatives. Réessayez plus tard.',
  },
  file: { choose: 'Choisir un fichier', none: 'Aucun fichier choisi' },
  dialog: { cancel: 'Annuler' },
  errors: { generic: 'Une erreur est survenue.', forbidden: "Cette page n'est pas ouverte à votre rôle." },
};
export type Dictionary = typeof fr;
