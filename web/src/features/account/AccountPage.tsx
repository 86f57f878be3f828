import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Grid,
  Group,
  PasswordInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { formatDateTime } from '../../app/labels.ts';
import { useSession, useSetSession } from '../../app/session.ts';
import type { ApiToken, CreatedApiToken } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, useConfirm } from '../../app/ui.tsx';

export function AccountPage() {
  const session = useSession().data!;
  const setSession = useSetSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => api.get<ApiToken[]>('/api/me/tokens') });
  const [created, setCreated] = useState<CreatedApiToken | null>(null);

  const password = useForm({
    initialValues: { currentPassword: '', newPassword: '' },
    validate: { newPassword: (v) => (v.length >= 12 ? null : 'Use at least 12 characters') },
  });
  const changePassword = password.onSubmit(async (v) => {
    try {
      await api.post('/api/auth/password', v);
      notifySuccess('Password changed. Log in with the new password.');
      setSession(null);
      void navigate('/login');
    } catch (e) {
      if (e instanceof ApiError && e.formField) password.setFieldError(e.formField, e.message);
      else notifyError(e);
    }
  });

  const tokenForm = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() ? null : 'Name the token after the script that uses it') },
  });
  const createToken = tokenForm.onSubmit(async (v) => {
    try {
      setCreated(await api.post<CreatedApiToken>('/api/me/tokens', v));
      tokenForm.reset();
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    } catch (e) {
      notifyError(e);
    }
  });
  const revoke = async (t: ApiToken) => {
    if (!(await confirm(`Revoke “${t.name}”?`, 'Scripts using this token stop working at once.', 'Revoke'))) return;
    try {
      await api.delete(`/api/me/tokens/${t.id}`);
      notifySuccess('Token revoked');
    } catch (e) {
      notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['tokens'] });
  };

  return (
    <>
      {dialog}
      <PageHeader title="Account" description={`${session.user.name} · ${session.user.email}`} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder radius="md">
            <form onSubmit={changePassword} noValidate>
              <Stack>
                <Title order={4}>Change password</Title>
                <PasswordInput label="Current password" autoComplete="current-password" {...password.getInputProps('currentPassword')} />
                <PasswordInput
                  label="New password"
                  description="At least 12 characters; ends all your sessions"
                  autoComplete="new-password"
                  {...password.getInputProps('newPassword')}
                />
                <Group justify="flex-end">
                  <Button type="submit" loading={password.submitting}>
                    Change password
                  </Button>
                </Group>
              </Stack>
            </form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder radius="md">
            <Stack>
              <Title order={4}>API tokens</Title>
              <Text size="sm" c="dimmed">
                Scripts authenticate with <Code>Authorization: Bearer &lt;token&gt;</Code> and act with your roles. The API is described at{' '}
                <a href="/api/docs">/api/docs</a>.
              </Text>
              <form onSubmit={createToken} noValidate>
                <Group align="flex-start">
                  <TextInput
                    placeholder="e.g. Asset import script"
                    style={{ flex: 1 }}
                    aria-label="Token name"
                    {...tokenForm.getInputProps('name')}
                  />
                  <Button type="submit" leftSection={<IconKey size={16} />}>
                    Create token
                  </Button>
                </Group>
              </form>
              {created && (
                <Alert color="green" title={`Token “${created.name}” created`} withCloseButton onClose={() => setCreated(null)}>
                  <Text size="sm" mb={6}>
                    Copy it now: it is not shown again.
                  </Text>
                  <Group gap={6} wrap="nowrap">
                    <Code style={{ overflowWrap: 'anywhere' }} data-testid="new-token">
                      {created.token}
                    </Code>
                    <CopyButton value={created.token}>
                      {({ copied, copy }) => (
                        <ActionIcon variant="light" onClick={copy} aria-label="Copy token">
                          {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                        </ActionIcon>
                      )}
                    </CopyButton>
                  </Group>
                </Alert>
              )}
              <ErrorAlert error={tokens.error} />
              {tokens.data && tokens.data.length > 0 && (
                <Table fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Starts with</Table.Th>
                      <Table.Th>Last used</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {tokens.data.map((t) => (
                      <Table.Tr key={t.id}>
                        <Table.Td>{t.name}</Table.Td>
                        <Table.Td>
                          <Code>{t.prefix}…</Code>
                        </Table.Td>
                        <Table.Td>{formatDateTime(t.lastUsedAt)}</Table.Td>
                        <Table.Td>
                          {t.revokedAt ? (
                            <Badge color="gray" variant="light">
                              revoked
                            </Badge>
                          ) : (
                            <Button size="compact-xs" color="red" variant="subtle" onClick={() => revoke(t)}>
                              Revoke
                            </Button>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
