import { Anchor, Button, Center, Paper, PasswordInput, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { useSetSession } from '../../app/session.ts';
import { Logo } from '../../app/Shell.tsx';
import type { SessionResponse } from '../../app/types.ts';
import { ErrorAlert } from '../../app/ui.tsx';

/** First-run setup: the installation administrator and the first ISMS scope. */
export function SetupPage() {
  const navigate = useNavigate();
  const setSession = useSetSession();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['setup'], queryFn: () => api.get<{ needed: boolean }>('/api/setup') });
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { adminName: '', adminEmail: '', adminPassword: '', scopeName: '', profile: 'small' as 'small' | 'large' },
    validate: {
      adminName: (v) => (v.trim() ? null : 'Your name is required'),
      adminEmail: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter an email address'),
      adminPassword: (v) => (v.length >= 12 ? null : 'Use at least 12 characters'),
      scopeName: (v) => (v.trim() ? null : 'The organisation name is required'),
    },
  });
  if (status.data && !status.data.needed) return <Navigate to="/" replace />;

  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const session = await api.post<SessionResponse>('/api/setup', {
        admin: { name: v.adminName, email: v.adminEmail, password: v.adminPassword },
        scope: { name: v.scopeName, profile: v.profile },
      });
      qc.setQueryData(['setup'], { needed: false });
      setSession(session);
      const scopeId = session.memberships[0]?.scopeId;
      void navigate(scopeId ? `/s/${scopeId}/assets` : '/', { replace: true });
    } catch (e) {
      const map: Record<string, string> = {
        'body.admin.name': 'adminName',
        'body.admin.email': 'adminEmail',
        'body.admin.password': 'adminPassword',
        'body.scope.name': 'scopeName',
      };
      if (e instanceof ApiError && e.field && map[e.field]) form.setFieldError(map[e.field]!, e.message.replace(/^[\w.]+: /, ''));
      else setError(e);
    }
  });

  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={520} radius="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Logo />
            <div>
              <Title order={2}>Welcome to Praxis</Title>
              <Text c="dimmed" size="sm">
                Create the administrator account and the first ISMS scope. You can add further scopes, people and demo data afterwards.
              </Text>
            </div>
            <ErrorAlert error={error} />
            <Text fw={600} size="sm">
              Administrator
            </Text>
            <TextInput label="Your name" name="adminName" autoComplete="name" {...form.getInputProps('adminName')} />
            <TextInput label="Email" name="adminEmail" type="email" autoComplete="email" {...form.getInputProps('adminEmail')} />
            <PasswordInput
              label="Password"
              name="adminPassword"
              description="At least 12 characters"
              autoComplete="new-password"
              {...form.getInputProps('adminPassword')}
            />
            <Text fw={600} size="sm" mt="sm">
              First ISMS scope
            </Text>
            <TextInput
              label="Organisation or scope name"
              name="scopeName"
              placeholder="e.g. Example Ltd"
              {...form.getInputProps('scopeName')}
            />
            <Radio.Group label="Profile" {...form.getInputProps('profile')}>
              <Stack gap="xs" mt={6}>
                <Radio
                  value="small"
                  label="Small organisation"
                  description="Few roles and a light workflow: an annual cycle between management and IT."
                />
                <Radio
                  value="large"
                  label="Large organisation"
                  description="Approval chains, segregation of duties and a formal audit programme."
                />
              </Stack>
            </Radio.Group>
            <Button type="submit" size="md" loading={form.submitting}>
              Create administrator and scope
            </Button>
            <Text size="xs" c="dimmed">
              Already set up? <Anchor href="/login">Log in</Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
