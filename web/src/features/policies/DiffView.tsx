import { Box, Group, Text } from '@mantine/core';
import type { DiffResult } from './policy-types.ts';

const colors = { add: 'var(--mantine-color-teal-0)', remove: 'var(--mantine-color-red-0)', context: 'transparent' } as const;
const marks = { add: '+', remove: '−', context: ' ' } as const;

/** A line diff of two versions' Markdown: changed passages with a few lines of context, additions green, removals red. */
export function DiffView({ diff }: { diff: DiffResult }) {
  if (diff.hunks.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="diff-empty">
        The text of version {diff.from.versionNo} and version {diff.to.versionNo} is the same.
      </Text>
    );
  return (
    <Box data-testid="diff-view">
      <Group gap="md" mb="xs">
        <Text size="sm" c="teal.8" fw={600}>
          {diff.added} line{diff.added === 1 ? '' : 's'} added
        </Text>
        <Text size="sm" c="red.8" fw={600}>
          {diff.removed} line{diff.removed === 1 ? '' : 's'} removed
        </Text>
      </Group>
      {diff.hunks.map((h) => (
        <Box
          key={`${h.oldStart}-${h.newStart}`}
          mb="sm"
          style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, overflow: 'hidden', background: 'white' }}
        >
          <Text size="xs" c="dimmed" px="sm" py={4} bg="gray.0" ff="monospace">
            Version {diff.from.versionNo}: lines {h.oldStart}–{h.oldStart + Math.max(h.oldLines - 1, 0)} · version {diff.to.versionNo}:
            lines {h.newStart}–{h.newStart + Math.max(h.newLines - 1, 0)}
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
