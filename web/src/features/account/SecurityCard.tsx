import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Divider,
  Group,
  Image,
  Modal,
  PasswordInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDeviceMobile, IconFingerprint, IconLifebuoy, IconPencil, IconPlus, IconShieldLock, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDate, formatDateTime } from '../../app/labels.ts';
import { useCurrentSession } from '../../app/session.ts';
import { applyFieldError, CopyField, ErrorAlert, notifyError, notifySuccess, useConfirm } from '../../app/ui.tsx';
import type { AddedPasskey, MfaProof, MfaStatus, Passkey, RecoveryCodes, TotpSetup } from './mfa-types.ts';
import type { AddPasskeyInput, RenamePasskeyInput, TotpConfirmInput } from '../../app/types.ts';
import { RecoveryCodesDialog } from './RecoveryCodesDialog.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { addPasskeyBody, mfaProofBody, totpConfirmBody } from '../../../../server/src/auth/mfa/mfa.schemas.ts';

const codeLimit = textLimits(totpConfirmBody.shape).code;
const proofLimits = textLimits(mfaProofBody.shape);
const passkeyNameLimit = textLimits(addPasskeyBody.shape).name;

const MFA_KEY = ['mfa'];

/** The account page's "Sign-in security": authenticator app, recovery codes and passkeys. */
export function SecurityCard() {
  const { t } = useTranslation('account');
  const session = useCurrentSession();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: MFA_KEY, queryFn: () => api.get<MfaStatus>('/api/me/mfa') });
  const [codes, setCodes] = useState<string[] | null>(null);
  const [settingUp, setSettingUp] = useState(false);
  const [proofFor, setProofFor] = useState<'disable' | 'regenerate' | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: MFA_KEY });
    // the scopes' "manager needs MFA" flags follow enrolment
    void qc.invalidateQueries({ queryKey: ['scopes'] });
  };
  const gotCodes = (r: { recoveryCodes: string[] | null }) => {
    if (r.recoveryCodes) setCodes(r.recoveryCodes);
  };

  const s = status.data;
  return (
    <Card withBorder radius="md" p="lg" data-testid="security-card">
      <Stack>
        <div>
          <Title order={4}>{t('security.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('security.hint')}
          </Text>
        </div>
        {status.error ? (
          <ErrorAlert error={status.error} />
        ) : !s ? (
          <Skeleton h={160} />
        ) : (
          <>
            {s.requiredBy.length > 0 && (
              <Alert color="orange" variant="light" icon={<IconShieldLock size={18} />} data-testid="mfa-required-by">
                <Text size="sm" fw={600}>
                  {t('security.requiredBy', { scopes: s.requiredBy.map((r) => r.scopeName).join(', ') })}
                </Text>
                <Text size="sm">{t('security.requiredByHint')}</Text>
              </Alert>
            )}
            <Group justify="space-between" align="flex-start" wrap="nowrap" data-testid="totp-section">
              <Group align="flex-start" wrap="nowrap" gap="sm" style={{ flex: 1, minWidth: 0 }}>
                <IconDeviceMobile size={22} style={{ flexShrink: 0, marginTop: 2 }} />
                <div>
                  <Group gap="xs">
                    <Text fw={600} size="sm">
                      {t('security.totp.title')}
                    </Text>
                    <Badge size="sm" variant="light" color={s.totp.enabled ? 'teal' : 'gray'} data-testid="totp-status">
                      {s.totp.enabled && s.totp.enabledAt
                        ? t('security.totp.on', { date: formatDate(s.totp.enabledAt) })
                        : t('security.totp.off')}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t('security.totp.hint')}
                  </Text>
                </div>
              </Group>
              {s.totp.enabled ? (
                <Button
                  size="xs"
                  variant="default"
                  color="red"
                  style={{ flexShrink: 0 }}
                  onClick={() => setProofFor('disable')}
                  data-testid="totp-disable"
                >
                  {t('security.totp.turnOff')}
                </Button>
              ) : (
                <Button size="xs" style={{ flexShrink: 0 }} onClick={() => setSettingUp(true)} data-testid="totp-setup">
                  {t('security.totp.setUp')}
                </Button>
              )}
            </Group>
            <Divider />
            <PasskeySection
              passkeys={s.passkeys}
              lastFactor={!s.totp.enabled && s.passkeys.length === 1}
              onChange={refresh}
              onCodes={gotCodes}
            />
            <Divider />
            <Group justify="space-between" align="flex-start" wrap="nowrap" data-testid="recovery-section">
              <Group align="flex-start" wrap="nowrap" gap="sm" style={{ flex: 1, minWidth: 0 }}>
                <IconLifebuoy size={22} style={{ flexShrink: 0, marginTop: 2 }} />
                <div>
                  <Text fw={600} size="sm">
                    {t('security.recovery.title')}
                  </Text>
                  <Text size="xs" c="dimmed" data-testid="recovery-left">
                    {s.totp.enabled || s.passkeys.length > 0
                      ? t('security.recovery.left', { count: s.recoveryCodesLeft })
                      : t('security.recovery.none')}
                  </Text>
                </div>
              </Group>
              {(s.totp.enabled || s.passkeys.length > 0) && (
                <Button
                  size="xs"
                  variant="default"
                  style={{ flexShrink: 0 }}
                  onClick={() => setProofFor('regenerate')}
                  data-testid="recovery-regenerate"
                >
                  {t('security.recovery.regenerate')}
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
      {settingUp && (
        <TotpSetupDialog
          onClose={() => setSettingUp(false)}
          onEnabled={(r) => {
            setSettingUp(false);
            refresh();
            gotCodes(r);
            notifySuccess(t('security.totp.enabled'), t('security.totp.enabledTitle'));
          }}
        />
      )}
      <ProofDialog
        opened={proofFor !== null}
        title={proofFor === 'disable' ? t('security.totp.offTitle') : t('security.recovery.regenerateTitle')}
        hint={proofFor === 'disable' ? t('security.totp.offHint') : t('security.recovery.regenerateHint')}
        confirmLabel={proofFor === 'disable' ? t('security.totp.turnOff') : t('security.recovery.regenerate')}
        danger={proofFor === 'disable'}
        onClose={() => setProofFor(null)}
        onProof={async (proof) => {
          if (proofFor === 'disable') {
            await api.post<unknown, MfaProof>('/api/me/mfa/totp/disable', proof);
            notifySuccess(t('security.totp.disabled'));
          } else {
            gotCodes(await api.post<RecoveryCodes, MfaProof>('/api/me/mfa/recovery-codes', proof));
          }
          setProofFor(null);
          refresh();
        }}
        errorTitle={proofFor === 'disable' ? t('security.totp.notDisabled') : t('security.recovery.notRegenerated')}
      />
      <RecoveryCodesDialog codes={codes} email={session.user.email} onClose={() => setCodes(null)} />
    </Card>
  );
}

function TotpSetupDialog({ onClose, onEnabled }: { onClose: () => void; onEnabled: (r: RecoveryCodes) => void }) {
  const { t } = useTranslation('account');
  const setup = useQuery({
    queryKey: ['totp-setup'],
    queryFn: () => api.post<TotpSetup>('/api/me/mfa/totp'),
    gcTime: 0,
    staleTime: Infinity,
  });
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (v) => (/^\d{6}$/.test(v.replace(/\s/g, '')) ? null : t('security.totp.codeRequired')) },
  });
  const submit = form.onSubmit(async (v) => {
    try {
      onEnabled(await api.post<RecoveryCodes, TotpConfirmInput>('/api/me/mfa/totp/confirm', { code: v.code.replace(/\s/g, '') }));
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, t('security.totp.notEnabled'));
    }
  });
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{t('security.totp.setupTitle')}</Text>} centered data-testid="totp-setup-dialog">
      {setup.error ? (
        <ErrorAlert error={setup.error} />
      ) : !setup.data ? (
        <Skeleton h={300} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('security.totp.scan')}</Text>
            <Image src={setup.data.qrDataUrl} alt={t('security.totp.qrAlt')} w={200} h={200} mx="auto" data-testid="totp-qr" />
            <div>
              <Text size="xs" c="dimmed" mb={4}>
                {t('security.totp.key')}
              </Text>
              <CopyField value={setup.data.secret} testId="totp-secret" />
            </div>
            <TextInput
              label={t('security.totp.code')}
              description={t('security.totp.codeHint')}
              name="totpCode"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={codeLimit}
              autoFocus
              data-testid="totp-confirm-code"
              {...form.getInputProps('code')}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={form.submitting} data-testid="totp-confirm">
                {t('security.totp.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** Asks for the password or a code before MFA is weakened or its recovery codes replaced. */
function ProofDialog(props: {
  opened: boolean;
  title: string;
  hint: string;
  confirmLabel: string;
  danger: boolean;
  errorTitle: string;
  onClose: () => void;
  onProof: (proof: MfaProof) => Promise<void>;
}) {
  const { t } = useTranslation('account');
  const form = useForm({
    initialValues: { password: '', code: '' },
    validate: { password: (v, values) => (v || values.code.trim() ? null : t('security.proof.required')) },
  });
  const close = () => {
    form.reset();
    props.onClose();
  };
  const submit = form.onSubmit(async (v) => {
    try {
      await props.onProof(v.password ? { password: v.password } : { code: v.code.trim() });
      form.reset();
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, props.errorTitle);
    }
  });
  return (
    <Modal opened={props.opened} onClose={close} title={<Text fw={600}>{props.title}</Text>} centered data-testid="mfa-proof-dialog">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{props.hint}</Text>
          <PasswordInput
            label={t('security.proof.password')}
            name="proofPassword"
            maxLength={proofLimits.password}
            autoComplete="current-password"
            {...form.getInputProps('password')}
          />
          <Text size="xs" c="dimmed" ta="center">
            {t('security.proof.or')}
          </Text>
          <TextInput
            label={t('security.proof.code')}
            name="proofCode"
            maxLength={proofLimits.code}
            autoComplete="one-time-code"
            {...form.getInputProps('code')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" color={props.danger ? 'red' : undefined} loading={form.submitting} data-testid="mfa-proof-confirm">
              {props.confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function PasskeySection({
  passkeys,
  lastFactor,
  onChange,
  onCodes,
}: {
  passkeys: Passkey[];
  lastFactor: boolean;
  onChange: () => void;
  onCodes: (r: { recoveryCodes: string[] | null }) => void;
}) {
  const { t } = useTranslation('account');
  const { confirm, dialog } = useConfirm();
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Passkey | null>(null);
  const supported = browserSupportsWebAuthn();
  const addForm = useForm({
    initialValues: { name: '' },
    validate: { name: (v) => (v.trim() ? null : t('security.passkeys.nameRequired')) },
  });
  const add = addForm.onSubmit(async (v) => {
    let response: unknown;
    try {
      const optionsJSON = await api.post<Parameters<typeof startRegistration>[0]['optionsJSON']>('/api/me/passkeys/options');
      response = await startRegistration({ optionsJSON });
    } catch (e) {
      notifyError(
        e instanceof Error && e.name === 'NotAllowedError' ? new Error(t('security.passkeys.cancelled')) : e,
        t('security.passkeys.notAdded'),
      );
      return;
    }
    try {
      const r = await api.post<AddedPasskey, AddPasskeyInput>('/api/me/passkeys', {
        name: v.name.trim(),
        // the browser's WebAuthn answer, which the server reads with @simplewebauthn (its schema only requires an object)
        response: response as AddPasskeyInput['response'],
      });
      notifySuccess(t('security.passkeys.added', { name: r.passkey.name }));
      addForm.reset();
      setAdding(false);
      onChange();
      onCodes(r);
    } catch (e) {
      if (!applyFieldError(addForm, e)) notifyError(e, t('security.passkeys.notAdded'));
    }
  });
  const remove = async (p: Passkey) => {
    const ok = await confirm({
      title: t('security.passkeys.removeTitle', { name: p.name }),
      message: lastFactor ? t('security.passkeys.removeLastMessage') : t('security.passkeys.removeMessage'),
      confirmLabel: t('security.passkeys.remove'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/me/passkeys/${p.id}`);
      notifySuccess(t('security.passkeys.removed', { name: p.name }));
    } catch (e) {
      notifyError(e, t('security.passkeys.notRemoved'));
    }
    onChange();
  };

  return (
    <Stack gap="xs" data-testid="passkeys-section">
      {dialog}
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Group align="flex-start" wrap="nowrap" gap="sm" style={{ flex: 1, minWidth: 0 }}>
          <IconFingerprint size={22} style={{ flexShrink: 0, marginTop: 2 }} />
          <div>
            <Text fw={600} size="sm">
              {t('security.passkeys.title')}
            </Text>
            <Text size="xs" c="dimmed">
              {supported ? t('security.passkeys.hint') : t('security.passkeys.unsupported')}
            </Text>
          </div>
        </Group>
        {supported && !adding && (
          <Button
            size="xs"
            variant="light"
            style={{ flexShrink: 0 }}
            leftSection={<IconPlus size={14} />}
            onClick={() => setAdding(true)}
            data-testid="passkey-add"
          >
            {t('security.passkeys.add')}
          </Button>
        )}
      </Group>
      {adding && (
        <form onSubmit={add} noValidate>
          <Group align="flex-start" gap="xs" ml={34}>
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              aria-label={t('security.passkeys.name')}
              placeholder={t('security.passkeys.namePlaceholder')}
              name="passkeyName"
              maxLength={passkeyNameLimit}
              autoFocus
              {...addForm.getInputProps('name')}
            />
            <Button size="xs" type="submit" loading={addForm.submitting} data-testid="passkey-add-confirm">
              {t('security.passkeys.add')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setAdding(false)}>
              {t('common:actions.cancel')}
            </Button>
          </Group>
        </form>
      )}
      {passkeys.length === 0 ? (
        <Text size="xs" c="dimmed" ml={34}>
          {t('security.passkeys.none')}
        </Text>
      ) : (
        <Stack gap={6} ml={34}>
          {passkeys.map((p) => (
            <Group key={p.id} justify="space-between" wrap="nowrap" data-testid="passkey-row">
              <div style={{ minWidth: 0 }}>
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" fw={500} truncate>
                    {p.name}
                  </Text>
                  {p.synced && (
                    <Tooltip label={t('security.passkeys.syncedHint')}>
                      <Badge size="xs" variant="light">
                        {t('security.passkeys.synced')}
                      </Badge>
                    </Tooltip>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  {t('security.passkeys.created', { date: formatDate(p.createdAt) })} ·{' '}
                  {p.lastUsedAt
                    ? t('security.passkeys.lastUsed', { date: formatDateTime(p.lastUsedAt) })
                    : t('security.passkeys.neverUsed')}
                </Text>
              </div>
              <Group gap={2} wrap="nowrap">
                <Tooltip label={t('security.passkeys.rename')}>
                  <ActionIcon variant="subtle" onClick={() => setRenaming(p)} aria-label={`${t('security.passkeys.rename')}: ${p.name}`}>
                    <IconPencil size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('security.passkeys.remove')}>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    onClick={() => remove(p)}
                    aria-label={`${t('security.passkeys.remove')}: ${p.name}`}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      {renaming && <RenamePasskeyDialog passkey={renaming} onClose={() => setRenaming(null)} onRenamed={onChange} />}
    </Stack>
  );
}

function RenamePasskeyDialog({ passkey, onClose, onRenamed }: { passkey: Passkey; onClose: () => void; onRenamed: () => void }) {
  const { t } = useTranslation('account');
  const form = useForm({
    initialValues: { name: passkey.name },
    validate: { name: (v) => (v.trim() ? null : t('security.passkeys.nameRequired')) },
  });
  const submit = form.onSubmit(async (v) => {
    try {
      await api.patch<Passkey, RenamePasskeyInput>(`/api/me/passkeys/${passkey.id}`, { version: passkey.version, name: v.name.trim() });
      notifySuccess(t('security.passkeys.renamed'));
      onRenamed();
      onClose();
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e, t('security.passkeys.notRenamed'));
      onRenamed();
    }
  });
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{t('security.passkeys.renameTitle')}</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('security.passkeys.name')}
            name="passkeyName"
            maxLength={passkeyNameLimit}
            autoFocus
            {...form.getInputProps('name')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting}>
              {t('security.passkeys.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
