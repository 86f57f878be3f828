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
  Radio,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconCopy, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { roleDescriptions, roleLabels } from '../../app/labels.ts';
import { useScope, useSession } from '../../app/session.ts';
import type { InviteResult, Member, Scope, ScopeRole } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, useConfirm } from '../../app/ui.tsx';

const roleData = (Object.keys(roleLabels) as ScopeRole[]).map((r) => ({ value: r, label: roleLabels[r] }));

export function ScopeSettingsPage() {
  const { scopeId } = useParams();
  const qc = useQueryClient();
  const session = useSession().data!;
  const scope = useScope(scopeId);
  const members = useQuery({ queryKey: ['members', scopeId], queryFn: () => api.get<Member[]>(`/api/scopes/${scopeId}/members`) });
  const { confirm, dialog } = useConfirm();
  const [invitation, setInvitation] = useState<string | null>(null);

  const details = useForm({ initialValues: { name: '', profile: 'small', description: '' } });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form is reset only when the scope is (re)loaded
  useEffect(() => {
    if (scope.data) details.setValues({ name: scope.data.name, profile: scope.data.profile, description: scope.data.description });
  }, [scope.data]);
  const saveDetails = details.onSubmit(async (v) => {
    try {
      await api.patch<Scope>(`/api/scopes/${scopeId}`, { ...v, version: scope.data!.version });
      notifySuccess('Scope saved');
      void qc.invalidateQueries({ queryKey: ['scope', scopeId] });
      void qc.invalidateQueries({ queryKey: ['scopes'] });
    } catch (e) {
      notifyError(e);
    }
  });

  const invite = useForm({
    initialValues: { email: '', name: '', role: 'contributor' as ScopeRole },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter an email address') },
  });
  const sendInvite = invite.onSubmit(async (v) => {
    try {
      const r = await api.post<InviteResult>(`/api/scopes/${scopeId}/members`, {
        email: v.email,
        role: v.role,
        ...(v.name.trim() && { name: v.name.trim() }),
      });
      setInvitation(r.invitationUrl ? `${window.location.origin}${r.invitationUrl}` : null);
      notifySuccess(r.invitationUrl ? `${r.member.email} invited` : `${r.member.name} added as ${roleLabels[r.member.role]}`);
      invite.reset();
      void qc.invalidateQueries({ queryKey: ['members', scopeId] });
    } catch (e) {
      if (e instanceof ApiError && e.formField) invite.setFieldError(e.formField, e.message);
      else notifyError(e);
    }
  });

  const changeRole = async (m: Member, role: ScopeRole) => {
    try {
      await api.patch(`/api/scopes/${scopeId}/members/${m.userId}`, { version: m.version, role });
      notifySuccess(`${m.name} is now ${roleLabels[role]}`);
    } catch (e) {
      notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['members', scopeId] });
  };
  const remove = async (m: Member) => {
    if (!(await confirm(`Remove ${m.name}?`, `${m.name} loses access to this scope. Their account stays.`, 'Remove'))) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/members/${m.userId}`);
      notifySuccess(`${m.name} removed`);
    } catch (e) {
      notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['members', scopeId] });
  };

  if (scope.isLoading) return <Skeleton h={300} />;
  if (scope.error) return <ErrorAlert error={scope.error} />;
  return (
    <>
      {dialog}
      <PageHeader title="Scope settings" description="The ISMS scope, its profile, and who works in it with which role." />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md">
            <form onSubmit={saveDetails}>
              <Stack>
                <Title order={4}>Scope</Title>
                <TextInput label="Name" {...details.getInputProps('name')} />
                <Radio.Group label="Profile" {...details.getInputProps('profile')}>
                  <Group mt={6}>
                    <Radio value="small" label="Small" />
                    <Radio value="large" label="Large" />
                  </Group>
                </Radio.Group>
                <Textarea
                  label="Description"
                  description="What the ISMS covers: organisation units, locations, services (ISO 27001 4.3)"
                  autosize
                  minRows={3}
                  {...details.getInputProps('description')}
                />
                <Group justify="flex-end">
                  <Button type="submit">Save scope</Button>
                </Group>
              </Stack>
            </form>
          </Card>
          <Card withBorder radius="md" mt="lg">
            <form onSubmit={sendInvite} noValidate>
              <Stack>
                <Title order={4}>Invite a person</Title>
                <TextInput label="Email" name="inviteEmail" {...invite.getInputProps('email')} />
                <TextInput label="Name" description="Optional for people who have no account yet" {...invite.getInputProps('name')} />
                <Select
                  label="Role"
                  allowDeselect={false}
                  data={roleData}
                  description={roleDescriptions[invite.values.role]}
                  {...invite.getInputProps('role')}
                />
                <Group justify="flex-end">
                  <Button type="submit" leftSection={<IconUserPlus size={16} />} loading={invite.submitting}>
                    Invite
                  </Button>
                </Group>
                {invitation && (
                  <Alert color="blue" title="Invitation link" withCloseButton onClose={() => setInvitation(null)}>
                    <Text size="sm" mb={6}>
                      Send this link to the person; it is valid for 14 days and can be used once.
                    </Text>
                    <Group gap={6} wrap="nowrap">
                      <Code style={{ overflowWrap: 'anywhere' }}>{invitation}</Code>
                      <CopyButton value={invitation}>
                        {({ copied, copy }) => (
                          <ActionIcon variant="light" onClick={copy} aria-label="Copy link">
                            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                          </ActionIcon>
                        )}
                      </CopyButton>
                    </Group>
                  </Alert>
                )}
              </Stack>
            </form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" p={0}>
            <Title order={4} p="md">
              Members
            </Title>
            <ErrorAlert error={members.error} />
            <Table.ScrollContainer minWidth={560}>
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Person</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {members.data?.map((m) => (
                    <Table.Tr key={m.userId}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {m.name} {m.userId === session.user.id && <Badge size="xs">you</Badge>}{' '}
                          {m.status !== 'active' && (
                            <Badge size="xs" color={m.status === 'invited' ? 'blue' : 'gray'} variant="light">
                              {m.status}
                            </Badge>
                          )}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {m.email}
                        </Text>
                      </Table.Td>
                      <Table.Td w={170}>
                        <Select
                          size="xs"
                          allowDeselect={false}
                          data={roleData}
                          value={m.role}
                          onChange={(v) => v && v !== m.role && changeRole(m, v as ScopeRole)}
                          aria-label={`Role of ${m.name}`}
                        />
                      </Table.Td>
                      <Table.Td w={50}>
                        <Tooltip label="Remove from scope">
                          <ActionIcon variant="subtle" color="red" onClick={() => remove(m)} aria-label={`Remove ${m.name}`}>
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
