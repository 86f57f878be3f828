import type { z } from 'zod';
import type * as training from '../../../../server/src/processes/competence-awareness/training.schemas.ts';

export type MyTraining = z.infer<typeof training.myTrainingResponse>;
export type MyTrainings = z.infer<typeof training.myTrainingsResponse>;
export type QuizResult = z.infer<typeof training.quizResultResponse>;
export type QuizAnswersInput = z.input<typeof training.quizAnswersBody>;
export type CompleteTrainingInput = z.input<typeof training.completeBody>;
