import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { languageOf } from '../i18n/i18n.ts';
import { AppError } from '../shared/errors.ts';
import { findForbiddenText } from '../shared/schemas.ts';
import { validationText } from './errors.ts';

/**
 * The one check of every route's text input: a string (or key) in the params, the query or a JSON body that holds NUL,
 * another control character, a lone surrogate or a Unicode noncharacter (`shared/schemas.ts` `forbiddenCharacter`) is
 * refused with 400 naming the field, before the route's own validation and before anything is read or written.
 * Multipart fields are checked where they are read (`files/upload.ts`).
 */
export function assertPlainInput(request: Pick<FastifyRequest, 'params' | 'query' | 'body' | 'headers'>): void {
  const lang = languageOf(request.headers['accept-language']);
  refuseForbiddenText(lang, request.params, 'params');
  refuseForbiddenText(lang, request.query, 'querystring');
  refuseForbiddenText(lang, request.body, 'body');
}

/** 400 naming the field (`body.items.0.name`) when `value` holds a forbidden character anywhere. */
export function refuseForbiddenText(lang: string, value: unknown, where: string): void {
  const found = findForbiddenText(value);
  if (!found) return;
  const { field, text } = validationText(
    lang,
    {
      keyword: 'forbidden_character',
      instancePath: found.path.map((s) => `/${s}`).join(''),
      message: '',
      params: { character: found.character },
    },
    where,
  );
  throw new AppError('validation_failed', text, { field });
}

export const inputGuard = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => assertPlainInput(request));
});
