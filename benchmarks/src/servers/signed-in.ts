/**
 * What a signed-in user's session holds in a typical web app, for the "signed-in" workload: the user
 * (as a login stores it), a CSRF token, a small cart, preferences and recently viewed items. About
 * 1.5 KB as JSON. Every request of that workload then only increments a counter, as /inc does, so it
 * shows what a session library costs per request once sessions carry real data.
 */
export function signedInAttributes(userNumber: number): Record<string, unknown> {
  return {
    user: {
      id: `usr_${String(userNumber).padStart(8, '0')}`,
      email: `user${userNumber}@example.com`,
      name: 'Ada Lovelace',
      roles: ['customer', 'beta-tester', 'newsletter', 'support-reader'],
      locale: 'en-GB',
      timeZone: 'Europe/London',
      signedInAt: '2026-11-22T09:30:00.000Z',
      mfa: { method: 'totp', verifiedAt: '2026-11-22T09:30:12.000Z' },
    },
    csrfToken: 'b3f1c2d4e5a60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
    cart: Array.from({ length: 5 }, (_, i) => ({
      sku: `SKU-${1000 + i}`,
      name: `Product number ${i + 1} with a descriptive name`,
      quantity: i + 1,
      unitPriceCents: 1999 + i * 250,
    })),
    preferences: { theme: 'dark', currency: 'GBP', emailDigest: 'weekly', compactLists: true },
    recentlyViewed: Array.from({ length: 12 }, (_, i) => `SKU-${2000 + i * 7}`),
  };
}

/** The principal (user name) a signed-in session is indexed under. */
export function principalOf(userNumber: number): string {
  return `user${userNumber}@example.com`;
}
