import { Alert, Button, CopyButton, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Recovery codes, shown once after they were made: copy, download as a text file, then close. */
export function RecoveryCodesDialog({ codes, email, onClose }: { codes: string[] | null; email: string; onClose: () => void }) {
  const { t } = useTranslation('account');
  const text = codes ? [t('security.recovery.fileHeader', { email }), '', ...codes, ''].join('\n') : '';
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = t('security.recovery.fileName');
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Modal
      opened={!!codes}
      onClose={onClose}
      closeOnClickOutside={false}
      title={<Text fw={600}>{t('security.recovery.shownTitle')}</Text>}
      centered
      data-testid="recovery-codes-dialog"
    >
      <Stack>
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
          <Text size="sm">{t('security.recovery.shownHint')}</Text>
        </Alert>
        <SimpleGrid cols={2} spacing="xs" data-testid="recovery-codes">
          {codes?.map((c) => (
            <Text key={c} ff="monospace" size="md" ta="center" p={6} bg="var(--mantine-color-gray-0)" style={{ borderRadius: 6 }}>
              {c}
            </Text>
          ))}
        </SimpleGrid>
        <Group justify="space-between">
          <Group gap="xs">
            <CopyButton value={codes?.join('\n') ?? ''}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                >
                  {t('security.recovery.copy')}
                </Button>
              )}
            </CopyButton>
            <Button variant="light" leftSection={<IconDownload size={16} />} onClick={download}>
              {t('security.recovery.download')}
            </Button>
          </Group>
          <Button onClick={onClose} data-testid="recovery-codes-saved">
            {t('security.recovery.saved')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
