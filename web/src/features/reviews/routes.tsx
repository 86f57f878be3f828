import { IconPresentation } from '@tabler/icons-react';
import { lazy } from 'react';
import type { WebModule } from '../registry.tsx';

const ReviewsPage = lazy(() => import('./ReviewsPage.tsx').then((m) => ({ default: m.ReviewsPage })));
const ReviewDetailPage = lazy(() => import('./ReviewDetailPage.tsx').then((m) => ({ default: m.ReviewDetailPage })));

export const web: WebModule = {
  order: 170,
  ns: 'reviews',
  sections: [{ section: 'reviews', group: 'check', icon: IconPresentation, permission: 'review:read' }],
  routes: [
    { path: 'reviews', permission: 'review:read', what: 'the-management-reviews', page: ReviewsPage },
    { path: 'reviews/:id', permission: 'review:read', what: 'the-management-reviews', page: ReviewDetailPage },
  ],
};
