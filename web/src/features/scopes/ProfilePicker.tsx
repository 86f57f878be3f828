import { Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { profileDescriptions, profileLabels } from '../../app/labels.ts';
import type { Profile } from '../../app/types.ts';

/** Small or large profile, each with a one-line explanation. */
export function ProfilePicker({
  value,
  onChange,
  error,
  label,
  columns = 2,
}: {
  value: Profile;
  onChange: (p: Profile) => void;
  error?: React.ReactNode;
  label?: string;
  columns?: 1 | 2;
}) {
  const { t } = useTranslation('scopes');
  return (
    <Radio.Group
      label={label ?? t('profile.label')}
      value={value}
      onChange={(v) => onChange(v as Profile)}
      error={error}
      data-testid="profile-picker"
    >
      <SimpleGrid cols={{ base: 1, sm: columns }} spacing="sm" mt={6}>
        {(['small', 'large'] as const).map((p) => (
          <Radio.Card key={p} value={p} radius="md" p="sm" data-testid={`profile-${p}`} name="profile">
            <Group wrap="nowrap" align="flex-start" gap="sm">
              <Radio.Indicator mt={2} />
              <Stack gap={2}>
                <Text size="sm" fw={600}>
                  {profileLabels[p]}
                </Text>
                <Text size="xs" c="dimmed">
                  {profileDescriptions[p]}
                </Text>
              </Stack>
            </Group>
          </Radio.Card>
        ))}
      </SimpleGrid>
    </Radio.Group>
  );
}
