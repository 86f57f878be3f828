/** Performance evaluation types from the server's zod schemas: the client cannot drift from the API silently. */
import type { z } from 'zod';
import type * as s from '../../../../server/src/processes/performance-evaluation/measure.schemas.ts';

export type Measure = z.infer<typeof s.measureResponse>;
export type MeasureDetail = z.infer<typeof s.measureDetailResponse>;
export type Measurement = z.infer<typeof s.measurementResponse>;
export type Trend = z.infer<typeof s.trendResponse>;
export type CatalogueEntry = z.infer<typeof s.catalogueEntryResponse>;
export type CreateMeasureInput = z.input<typeof s.createMeasureBody>;
export type UpdateMeasureInput = z.input<typeof s.updateMeasureBody>;
export type RecordMeasurementInput = z.input<typeof s.recordMeasurementBody>;
export type AnalysisInput = z.input<typeof s.analysisBody>;
export type AddRecommendedInput = z.input<typeof s.addRecommendedBody>;
export type MeasurementStatus = Measurement['status'];
export type SourceKind = Measure['sourceKind'];
export type Frequency = Measure['collectionFrequency'];
export type Direction = Measure['direction'];
export type LinkType = MeasureDetail['links'][number]['type'];
