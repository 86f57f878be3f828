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
import { useTranslation } from 'react-i18next';
import { ListError } from '../../app/ListParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { options, roleDescriptions, roleLabels } from '../../app/labels.ts';
import { useCurrentScope, useCurrentSession, useMembers } from '../../app/session.ts';
import { initials } from '../../app/Shell.tsx';
import type {
  InviteMemberInput,
  InviteResult,
  Member,
  Profile,
  Scope,
  ScopeRole,
  UpdateMemberInput,
  UpdateScopeInput,
} from '../../app/types.ts';
import { applyFieldError, CopyField, notifyError, notifySuccess, PageHeader, TableSkeleton, useConfirm } from '../../app/ui.tsx';
import { ProfilePicker } from './ProfilePicker.tsx';
import { ScopeMfaCard } from './ScopeMfaCard.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { inviteMemberBody, updateScopeBody } from '../../../../server/src/scopes/scope.schemas.ts';

const inviteLimits = textLimits(inviteMemberBody.shape);
const scopeLimits = textLimits(updateScopeBody.shape);

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
  const { t } = useTranslation('scopes');
  const roleData = options(roleLabels);
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
      name: (v) => (v.trim() ? null : t('settings.nameRequired')),
      description: (v) => (v.length > 5000 ? t('settings.descriptionTooLong') : null),
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
      const saved = await api.patch<Scope, UpdateScopeInput>(`/api/scopes/${scopeId}`, body);
      notifySuccess(t('settings.saved', { name: saved.name }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict') notifyError(new Error(t('settings.conflict')));
      else if (!applyFieldError(details, e)) notifyError(e);
    }
    void qc.invalidateQueries({ queryKey: ['scopes'] });
    void qc.invalidateQueries({ queryKey: ['session'] });
  });

  const invite = useForm({
    initialValues: { email: '', name: '', role: 'contributor' as ScopeRole },
    validate: { email: (v) => (emailPattern.test(v.trim()) ? null : t('members.emailInvalid')) },
  });
  const sendInvite = invite.onSubmit(async (v) => {
    setInvitation(null);
    try {
      const body: InviteMemberInput = { email: v.email.trim(), role: v.role, ...(v.name.trim() && { name: v.name.trim() }) };
      const r = await api.post<InviteResult, InviteMemberInput>(`/api/scopes/${scopeId}/members`, body);
      if (r.invitationUrl) {
        setInvitation({ url: new URL(r.invitationUrl, window.location.origin).toString(), email: r.member.email });
        notifySuccess(t('members.invited', { email: r.member.email, role: roleLabels[r.member.role] }));
      } else {
        notifySuccess(t('members.added', { name: r.member.name, role: roleLabels[r.member.role] }));
      }
      invite.reset();
      void qc.invalidateQueries({ queryKey: ['members', scopeId] });
    } catch (e) {
      if (!applyFieldError(invite, e)) notifyError(e, t('members.notInvited'));
    }
  });

  const changeRole = async (m: Member, role: ScopeRole) => {
    const self = m.userId === session.user.id;
    if (self && m.role === 'manager' && role !== 'manager' && !session.user.isAdmin) {
      const ok = await confirm({
        title: t('members.giveUp.title'),
        message: t('members.giveUp.message', { scope: scope.name }),
        confirmLabel: t('members.giveUp.confirm', { role: roleLabels[role] }),
        color: 'orange',
      });
      if (!ok) return;
    }
    try {
      await api.patch<Member, UpdateMemberInput>(`/api/scopes/${scopeId}/members/${m.userId}`, { version: m.version, role });
      notifySuccess(t('members.roleChanged', { name: m.name, role: roleLabels[role] }));
      if (self) {
        void qc.invalidateQueries({ queryKey: ['scopes'] });
        void qc.invalidateQueries({ queryKey: ['session'] });
      }
    } catch (e) {
      notifyError(e, t('members.roleNotChanged'));
    }
    void qc.invalidateQueries({ queryKey: ['members', scopeId] });
  };
  const remove = async (m: Member) => {
    const self = m.userId === session.user.id;
    const ok = await confirm({
      title: self ? t('members.leave.title') : t('members.remove.title', { name: m.name }),
      message: self ? t('members.leave.message', { scope: scope.name }) : t('members.remove.message', { name: m.name, scope: scope.name }),
      confirmLabel: self ? t('members.leave.confirm') : t('members.remove.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/members/${m.userId}`);
      notifySuccess(self ? t('members.leave.done', { scope: scope.name }) : t('members.remove.done', { name: m.name, scope: scope.name }));
      if (self) {
        void qc.invalidateQueries({ queryKey: ['scopes'] });
        void qc.invalidateQueries({ queryKey: ['session'] });
        void navigate('/');
      }
    } catch (e) {
      notifyError(e, t('members.notRemoved'));
    }
    void qc.invalidateQueries({ queryKey: ['members', scopeId] });
  };

  const sorted = [...(members.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <>
      {dialog}
      <PageHeader title={t('settings.title')} description={t('settings.description', { scope: scope.name })} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" p={0} data-testid="members-card">
            <Group p="md" justify="space-between">
              <div>
                <Title order={4}>{t('members.title')}</Title>
                <Text size="sm" c="dimmed">
                  {members.data ? t('members.count', { count: members.data.length }) : ' '}
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
                      <Table.Th>{t('members.col.person')}</Table.Th>
                      <Table.Th>{t('members.col.role')}</Table.Th>
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
                                    {t('members.you')}
                                  </Badge>
                                )}
                                {m.status === 'invited' && (
                                  <Tooltip label={t('members.pendingHint')}>
                                    <Badge size="xs" color="blue" variant="light">
                                      {t('members.pending')}
                                    </Badge>
                                  </Tooltip>
                                )}
                                {m.status === 'disabled' && (
                                  <Badge size="xs" color="gray" variant="light">
                                    {t('members.disabled')}
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
                            aria-label={t('members.roleOf', { name: m.name })}
                            data-testid="member-role"
                          />
                        </Table.Td>
                        <Table.Td w={50}>
                          <Tooltip label={m.userId === session.user.id ? t('members.leaveHint') : t('members.removeHint')}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              onClick={() => remove(m)}
                              aria-label={t('members.removeName', { name: m.name })}
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
                    <Title order={4}>{t('invite.title')}</Title>
                    <Text size="sm" c="dimmed">
                      {t('invite.hint')}
                    </Text>
                  </div>
                  <TextInput
                    label={t('invite.email')}
                    name="inviteEmail"
                    type="email"
                    withAsterisk
                    maxLength={inviteLimits.email}
                    {...invite.getInputProps('email')}
                  />
                  <TextInput
                    label={t('invite.name')}
                    name="inviteName"
                    description={t('invite.nameHint')}
                    maxLength={inviteLimits.name}
                    {...invite.getInputProps('name')}
                  />
                  <Select
                    label={t('members.col.role')}
                    allowDeselect={false}
                    data={roleData}
                    description={roleDescriptions[invite.values.role]}
                    renderOption={({ option }) => <RoleOption role={option.value as ScopeRole} />}
                    {...invite.getInputProps('role')}
                    data-testid="invite-role"
                  />
                  <Group justify="flex-end">
                    <Button type="submit" leftSection={<IconUserPlus size={16} />} loading={invite.submitting} data-testid="invite-submit">
                      {t('invite.invite')}
                    </Button>
                  </Group>
                  {invitation && (
                    <Alert
                      color="blue"
                      variant="light"
                      icon={<IconLink size={18} />}
                      title={t('invite.link')}
                      withCloseButton
                      onClose={() => setInvitation(null)}
                      data-testid="invitation-link"
                    >
                      <Text size="sm" mb="xs">
                        {t('invite.send', { email: invitation.email })}
                      </Text>
                      <CopyField value={invitation.url} label={t('invite.copyLink')} testId="invitation-url" />
                    </Alert>
                  )}
                </Stack>
              </form>
            </Card>
            <ScopeMfaCard />
            <Card withBorder radius="md" p="lg" data-testid="scope-details-card">
              <form onSubmit={saveDetails} noValidate>
                <Stack>
                  <Title order={4}>{t('settings.scope')}</Title>
                  <TextInput
                    label={t('invite.name')}
                    name="scopeName"
                    withAsterisk
                    maxLength={scopeLimits.name}
                    {...details.getInputProps('name')}
                  />
                  <ProfilePicker
                    value={details.values.profile}
                    onChange={(p) => details.setFieldValue('profile', p)}
                    error={details.errors.profile}
                    columns={1}
                  />
                  <Textarea
                    label={t('settings.descriptionLabel')}
                    name="scopeDescription"
                    description={t('settings.descriptionHint')}
                    autosize
                    minRows={3}
                    maxRows={10}
                    maxLength={scopeLimits.description}
                    {...details.getInputProps('description')}
                  />
                  <Group justify="flex-end">
                    {details.isDirty() && (
                      <Button variant="default" onClick={() => details.reset()}>
                        {t('settings.undo')}
                      </Button>
                    )}
                    <Button type="submit" disabled={!details.isDirty()} loading={details.submitting} data-testid="save-scope">
                      {t('settings.save')}
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
