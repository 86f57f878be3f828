import {
  ActionIcon,
  Alert,
  Avatar,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { IconLink, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { ListError } from '../../app/ListParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { options, roleDescriptions, roleLabels } from '../../app/labels.ts';
import { useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { initials } from '../../app/Shell.tsx';
import type { InviteMemberInput, InviteResult, Member, Profile, Scope, ScopeRole, UpdateScopeInput } from '../../app/types.ts';
import { applyFieldError, CopyField, notifyError, notifySuccess, PageHeader, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { ProfilePicker } from './ProfilePicker.tsx';

const roleData = options(roleLabels);
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function RoleOption({ role }: { role: ScopeRole }) {
  return (
    <div>
      <Text size="sm">{roleLabels[role]}</Text>
      <Text size="xs" c="dimmed">
        {roleDescriptions[role]}
      </Text>
    </div>
  );
}

export function ScopeSettingsPage() {
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const session = useCurrentSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const members = useMembers(scopeId);
  const { confirm, dialog } = useConfirm();
  const [invitation, setInvitation] = useState<{ url: string; email: string } | null>(null);

  const details = useForm({
    initialValues: { name: scope.name, profile: scope.profile as Profile, description: scope.description },
    validate: {
      name: (v) => (v.trim() ? null : 'The scope needs a name'),
      description: (v) => (v.length > 5000 ? 'At most 5000 characters' : null),
    },
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload the form when the scope changes on the server
  useEffect(() => {
    const v = { name: scope.name, profile: scope.profile, description: scope.description };
    details.setInitialValues(v);
    details.setValues(v);
    details.resetDirty(v);
  }, [scope.id, scope.version]);
  const saveDetails = details.onSubmit(async (v) => {
    const body: UpdateScopeInput = { version: scope.version };
    if (details.isDirty('name')) body.name = v.name.trim();
    if (details.isDirty('profile')) body.profile = v.profile;
    if (details.isDirty('description')) body.description = v.description;
    try {
      const saved = await api.patch<Scope>(`/api/scopes/${scopeId}`, body);
      notifySuccess(`${saved.name} saved`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict')
        notifyError(
          new Error('Another user changed this scope in the meantime. The form shows the current state now; make your change again.'),
        );
      else if (!applyFieldError(details, e)) notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['scopes'] });
    void qc.invalidateQueries({ queryKey: ['session'] });
  });

  const invite = useForm({
    initialValues: { email: '', name: '', role: 'contributor' as ScopeRole },
    validate: { email: (v) => (emailPattern.test(v.trim()) ? null : 'Enter a valid email address') },
  });
  const sendInvite = invite.onSubmit(async (v) => {
    setInvitation(null);
    try {
      const body: InviteMemberInput = { email: v.email.trim(), role: v.role, ...(v.name.trim() && { name: v.name.trim() }) };
      const r = await api.post<InviteResult>(`/api/scopes/${scopeId}/members`, body);
      if (r.invitationUrl) {
        setInvitation({ url: new URL(r.invitationUrl, window.location.origin).toString(), email: r.member.email });
        notifySuccess(`${r.member.email} was invited as ${roleLabels[r.member.role]}. Send them the invitation link.`);
      } else {
        notifySuccess(`${r.member.name} was added as ${roleLabels[r.member.role]}.`);
      }
      invite.reset();
      void qc.invalidateQueries({ queryKey: ['members', scopeId] });
    } catch (e) {
      if (!applyFieldError(invite, e)) notifyError(e, 'Not invited');
    }
  });

  const changeRole = async (m: Member, role: ScopeRole) => {
    const self = m.userId === session.user.id;
    if (self && m.role === 'manager' && role !== 'manager' && !session.user.isAdmin) {
      const ok = await confirm({
        title: 'Give up your manager role?',
        message: `You will no longer be able to manage ${scope.name}, including its members. Another manager would have to give the role back.`,
        confirmLabel: `Become ${roleLabels[role]}`,
        color: 'orange',
      });
      if (!ok) return;
    }
    try {
      await api.patch(`/api/scopes/${scopeId}/members/${m.userId}`, { version: m.version, role });
      notifySuccess(`${m.name} is now ${roleLabels[role]}`);
      if (self) {
        void qc.invalidateQueries({ queryKey: ['scopes'] });
        void qc.invalidateQueries({ queryKey: ['session'] });
      }
    } catch (e) {
      notifyError(e, 'Role not changed');
    }
    void qc.invalidateQueries({ queryKey: ['members', scopeId] });
  };
  const remove = async (m: Member) => {
    const self = m.userId === session.user.id;
    const ok = await confirm({
      title: self ? 'Leave this scope?' : `Remove ${m.name}?`,
      message: self
        ? `You lose access to ${scope.name}.`
        : `${m.name} loses access to ${scope.name}. Their user account, and the records they created or own, stay; assets they own keep them as owner until you assign someone else.`,
      confirmLabel: self ? 'Leave scope' : 'Remove member',
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/members/${m.userId}`);
      notifySuccess(self ? `You left ${scope.name}` : `${m.name} was removed from ${scope.name}`);
      if (self) {
        void qc.invalidateQueries({ queryKey: ['scopes'] });
        void qc.invalidateQueries({ queryKey: ['session'] });
        void navigate('/');
      }
    } catch (e) {
      notifyError(e, 'Not removed');
    }
    void qc.invalidateQueries({ queryKey: ['members', scopeId] });
  };

  const sorted = [...(members.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      {dialog}
      <PageHeader
        title="Scope settings"
        description={`The ISMS scope ${scope.name}: what it covers, its profile, and who works in it with which role.`}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" p={0} data-testid="members-card">
            <Group p="md" justify="space-between">
              <div>
                <Title order={4}>Members</Title>
                <Text size="sm" c="dimmed">
                  {members.data ? `${members.data.length} ${members.data.length === 1 ? 'person' : 'people'}` : ' '}
                </Text>
              </div>
            </Group>
            {members.error ? (
              <ListError error={members.error} />
            ) : members.isPending ? (
              <TableSkeleton rows={3} />
            ) : (
              <Table.ScrollContainer minWidth={400}>
                <Table verticalSpacing="sm" data-testid="members-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Person</Table.Th>
                      <Table.Th>Role</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {sorted.map((m) => (
                      <Table.Tr key={m.userId} data-testid="member-row">
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap">
                            <Avatar size={32} radius="xl" color={m.status === 'active' ? 'praxis' : 'gray'}>
                              {initials(m.name)}
                            </Avatar>
                            <div style={{ minWidth: 0 }}>
                              <Group gap={6} wrap="nowrap">
                                <Text size="sm" fw={500} truncate>
                                  {m.name}
                                </Text>
                                {m.userId === session.user.id && (
                                  <Badge size="xs" variant="filled">
                                    you
                                  </Badge>
                                )}
                                {m.status === 'invited' && (
                                  <Tooltip label="Has not set a password yet">
                                    <Badge size="xs" color="blue" variant="light">
                                      invitation pending
                                    </Badge>
                                  </Tooltip>
                                )}
                                {m.status === 'disabled' && (
                                  <Badge size="xs" color="gray" variant="light">
                                    disabled
                                  </Badge>
                                )}
                              </Group>
                              <Text size="xs" c="dimmed" truncate>
                                {m.email}
                              </Text>
                            </div>
                          </Group>
                        </Table.Td>
                        <Table.Td w={180}>
                          <Select
                            size="xs"
                            allowDeselect={false}
                            data={roleData}
                            value={m.role}
                            onChange={(v) => v && v !== m.role && changeRole(m, v as ScopeRole)}
                            renderOption={({ option }) => <RoleOption role={option.value as ScopeRole} />}
                            comboboxProps={{ width: 300, position: 'bottom-end' }}
                            aria-label={`Role of ${m.name}`}
                            data-testid="member-role"
                          />
                        </Table.Td>
                        <Table.Td w={50}>
                          <Tooltip label={m.userId === session.user.id ? 'Leave this scope' : 'Remove from this scope'}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              onClick={() => remove(m)}
                              aria-label={`Remove ${m.name}`}
                              data-testid="member-remove"
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="lg">
            <Card withBorder radius="md" p="lg" data-testid="invite-card">
              <form onSubmit={sendInvite} noValidate>
                <Stack>
                  <div>
                    <Title order={4}>Invite a person</Title>
                    <Text size="sm" c="dimmed">
                      People with an account are added at once; anyone else gets an invitation link to set a password.
                    </Text>
                  </div>
                  <TextInput label="Email" name="inviteEmail" type="email" withAsterisk {...invite.getInputProps('email')} />
                  <TextInput
                    label="Name"
                    name="inviteName"
                    description="For people who have no account yet"
                    {...invite.getInputProps('name')}
                  />
                  <Select
                    label="Role"
                    allowDeselect={false}
                    data={roleData}
                    description={roleDescriptions[invite.values.role]}
                    renderOption={({ option }) => <RoleOption role={option.value as ScopeRole} />}
                    {...invite.getInputProps('role')}
                    data-testid="invite-role"
                  />
                  <Group justify="flex-end">
                    <Button type="submit" leftSection={<IconUserPlus size={16} />} loading={invite.submitting} data-testid="invite-submit">
                      Invite
                    </Button>
                  </Group>
                  {invitation && (
                    <Alert
                      color="blue"
                      variant="light"
                      icon={<IconLink size={18} />}
                      title="Invitation link"
                      withCloseButton
                      onClose={() => setInvitation(null)}
                      data-testid="invitation-link"
                    >
                      <Text size="sm" mb="xs">
                        Send this link to {invitation.email}. Whoever opens it can set the password of the account, so share it only with
                        that person.
                      </Text>
                      <CopyField value={invitation.url} label="Copy link" testId="invitation-url" />
                    </Alert>
                  )}
                </Stack>
              </form>
            </Card>
            <Card withBorder radius="md" p="lg" data-testid="scope-details-card">
              <form onSubmit={saveDetails} noValidate>
                <Stack>
                  <Title order={4}>Scope</Title>
                  <TextInput label="Name" name="scopeName" withAsterisk {...details.getInputProps('name')} />
                  <ProfilePicker
                    value={details.values.profile}
                    onChange={(p) => details.setFieldValue('profile', p)}
                    error={details.errors.profile}
                    columns={1}
                  />
                  <Textarea
                    label="Description"
                    name="scopeDescription"
                    description="What the ISMS covers: organisation units, locations, services and interfaces (ISO/IEC 27001, 4.3)"
                    autosize
                    minRows={3}
                    maxRows={10}
                    {...details.getInputProps('description')}
                  />
                  <Group justify="flex-end">
                    {details.isDirty() && (
                      <Button variant="default" onClick={() => details.reset()}>
                        Undo changes
                      </Button>
                    )}
                    <Button type="submit" disabled={!details.isDirty()} loading={details.submitting} data-testid="save-scope">
                      Save scope
                    </Button>
                  </Group>
                </Stack>
              </form>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
