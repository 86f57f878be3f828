import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DiffResult } from './policy-types.ts';

const colors = { add: 'var(--mantine-color-teal-0)', remove: 'var(--mantine-color-red-0)', context: 'transparent' } as const;
const marks = { add: '+', remove: '−', context: ' ' } as const;

/** A line diff of two versions' Markdown: changed passages with a few lines of context, additions green, removals red. */
export function DiffView({ diff }: { diff: DiffResult }) {
  const { t } = useTranslation('policies');
  if (diff.hunks.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="diff-empty">
        {t('diff.same', { from: diff.from.versionNo, to: diff.to.versionNo })}
      </Text>
    );
  return (
    <Box data-testid="diff-view">
      <Group gap="md" mb="xs">
        <Text size="sm" c="teal.8" fw={600}>
          {t('diff.added', { count: diff.added })}
        </Text>
        <Text size="sm" c="red.8" fw={600}>
          {t('diff.removed', { count: diff.removed })}
        </Text>
      </Group>
      {diff.hunks.map((h) => (
        <Box
          key={`${h.oldStart}-${h.newStart}`}
          mb="sm"
          style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, overflow: 'hidden', background: 'white' }}
        >
          <Text size="xs" c="dimmed" px="sm" py={4} bg="gray.0" ff="monospace">
            {t('diff.hunk', {
              from: diff.from.versionNo,
              oldStart: h.oldStart,
              oldEnd: h.oldStart + Math.max(h.oldLines - 1, 0),
              to: diff.to.versionNo,
              newStart: h.newStart,
              newEnd: h.newStart + Math.max(h.newLines - 1, 0),
            })}
          </Text>
          <Box style={{ overflowX: 'auto' }}>
            {h.lines.map((l, i) => (
              <Box
                // biome-ignore lint/suspicious/noArrayIndexKey: lines of a hunk have no identity beyond their position
                key={i}
                px="sm"
                style={{
                  background: colors[l.kind],
                  fontFamily: 'var(--mantine-font-family-monospace)',
                  fontSize: 12.5,
                  whiteSpace: 'pre-wrap',
                  overflowWrap: 'anywhere',
                }}
                data-kind={l.kind}
              >
                <span aria-hidden style={{ color: 'var(--mantine-color-gray-6)', userSelect: 'none', display: 'inline-block', width: 16 }}>
                  {marks[l.kind]}
                </span>
                {l.kind === 'remove' ? (
                  <del style={{ textDecoration: 'none' }}>{l.text || ' '}</del>
                ) : l.kind === 'add' ? (
                  <ins style={{ textDecoration: 'none' }}>{l.text || ' '}</ins>
                ) : (
                  l.text || ' '
                )}
              </Box>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
