import { Button, EmptyState, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconMailOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useSetSession } from '../../app/session.ts';
import type { AcceptInvitationInput, Invitation, SessionResponse } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, PageLoader } from '../../app/ui.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { acceptInvitationBody } from '../../../../server/src/scopes/scope.schemas.ts';

const limits = textLimits(acceptInvitationBody.shape);

/** An invited person sets a name and password and is logged in. */
export function InvitePage() {
  const { t } = useTranslation('auth');
  useDocumentTitle(t('common:app.documentTitle', { title: t('invite.documentTitle') }));
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const setSession = useSetSession();
  const [error, setError] = useState<unknown>(null);
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.get<Invitation>(`/api/invitations/${encodeURIComponent(token)}`),
    retry: false,
  });
  const form = useForm({
    initialValues: { name: '', password: '', repeat: '' },
    validate: {
      password: (v) => (v.length >= 12 ? null : t('invite.passwordTooShort')),
      repeat: (v, values) => (v === values.password ? null : t('invite.passwordsDiffer')),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: AcceptInvitationInput = { password: v.password, ...(v.name.trim() && { name: v.name.trim() }) };
      const session = await api.post<SessionResponse, AcceptInvitationInput>(`/api/invitations/${encodeURIComponent(token)}/accept`, body);
      setSession(session);
      void navigate('/', { replace: true });
    } catch (e) {
      if (!applyFieldError(form, e)) setError(e);
    }
  });

  if (invitation.isPending)
    return (
      <AuthLayout>
        <PageLoader />
      </AuthLayout>
    );
  if (invitation.error) {
    const gone = invitation.error instanceof ApiError && invitation.error.status < 500;
    return (
      <AuthLayout testId="invite-page">
        <EmptyState
          icon={<IconMailOff size={32} />}
          withIndicatorBackground
          title={gone ? t('invite.gone') : t('invite.couldNotOpen')}
          description={gone ? t('invite.goneHint') : errorMessage(invitation.error)}
        >
          <EmptyState.Actions>
            <Button component={Link} to="/login" variant="default">
              {t('invite.goToLogin')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </AuthLayout>
    );
  }
  const inv = invitation.data;
  return (
    <AuthLayout testId="invite-page">
      <form onSubmit={submit} noValidate>
        <Stack>
          <div>
            <Title order={2}>{t('invite.join', { scope: inv.scopeName })}</Title>
            <Text c="dimmed" size="sm" mt={4}>
              {t('invite.invited', { scope: inv.scopeName })}
            </Text>
          </div>
          <ErrorAlert error={error} title={t('invite.couldNotActivate')} />
          <TextInput label={t('form.email')} value={inv.email} readOnly variant="filled" data-testid="invite-email" />
          <TextInput
            label={t('form.yourName')}
            name="name"
            placeholder={inv.name}
            description={inv.name ? t('invite.keepName', { name: inv.name }) : undefined}
            maxLength={limits.name}
            {...form.getInputProps('name')}
          />
          <PasswordInput
            label={t('form.password')}
            name="password"
            description={t('form.atLeast12')}
            autoComplete="new-password"
            withAsterisk
            maxLength={limits.password}
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('invite.repeat')}
            name="repeat"
            autoComplete="new-password"
            withAsterisk
            maxLength={limits.password}
            {...form.getInputProps('repeat')}
          />
          <Button type="submit" loading={form.submitting} fullWidth mt="xs">
            {t('invite.activate')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
