import { lazy } from 'react';
import type { WebModule } from '../registry.tsx';

const ReadPolicyPage = lazy(() => import('./ReadPolicyPage.tsx').then((m) => ({ default: m.ReadPolicyPage })));
const TakeTrainingPage = lazy(() => import('./TakeTrainingPage.tsx').then((m) => ({ default: m.TakeTrainingPage })));

export const web: WebModule = {
  order: 200,
  ns: 'my-isms',
  routes: [
    { path: 'read/:docId/:versionId', permission: 'document:acknowledge', what: 'reading-policies', page: ReadPolicyPage },
    { path: 'my-training/:assignmentId', permission: 'training:complete', what: 'trainings', page: TakeTrainingPage },
  ],
};
