import { Button, EmptyState, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconMailOff } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, errorMessage } from '../../app/api.ts';
import { useSetSession } from '../../app/session.ts';
import type { AcceptInvitationInput, Invitation, SessionResponse } from '../../app/types.ts';
import { applyFieldError, ErrorAlert, PageLoader } from '../../app/ui.tsx';
import { AuthLayout } from './AuthLayout.tsx';

/** An invited person sets a name and password and is logged in. */
export function InvitePage() {
  useDocumentTitle('Invitation · Praxis');
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
      password: (v) => (v.length >= 12 ? null : 'The password needs at least 12 characters'),
      repeat: (v, values) => (v === values.password ? null : 'The passwords do not match'),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: AcceptInvitationInput = { password: v.password, ...(v.name.trim() && { name: v.name.trim() }) };
      const session = await api.post<SessionResponse>(`/api/invitations/${encodeURIComponent(token)}/accept`, body);
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
          title={gone ? 'This invitation is no longer valid' : 'Could not open the invitation'}
          description={
            gone
              ? 'It may have been used already or have expired. Ask the ISMS manager who invited you for a new link.'
              : errorMessage(invitation.error)
          }
        >
          <EmptyState.Actions>
            <Button component={Link} to="/login" variant="default">
              Go to the login page
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
            <Title order={2}>Join {inv.scopeName}</Title>
            <Text c="dimmed" size="sm" mt={4}>
              You were invited to the ISMS of {inv.scopeName}. Choose a password to activate your account.
            </Text>
          </div>
          <ErrorAlert error={error} title="Could not activate the account" />
          <TextInput label="Email" value={inv.email} readOnly variant="filled" data-testid="invite-email" />
          <TextInput
            label="Your name"
            name="name"
            placeholder={inv.name}
            description={inv.name ? `Leave empty to keep “${inv.name}”` : undefined}
            {...form.getInputProps('name')}
          />
          <PasswordInput
            label="Password"
            name="password"
            description="At least 12 characters"
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label="Repeat the password"
            name="repeat"
            autoComplete="new-password"
            withAsterisk
            {...form.getInputProps('repeat')}
          />
          <Button type="submit" loading={form.submitting} fullWidth mt="xs">
            Activate account
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
