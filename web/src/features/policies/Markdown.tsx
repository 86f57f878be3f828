import { useTranslation } from 'react-i18next';
import { Box, Stack, Tabs, Text, Textarea, Typography } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconEye, IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** Policy text as written in Markdown: headings, lists, tables and links (GitHub flavour). Raw HTML is not rendered. */
export function Markdown({ children, testId }: { children: string; testId?: string }) {
  return (
    <Typography className="praxis-markdown" data-testid={testId}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        components={{
          a: ({ href, children: c }) => (
            <a href={href} target="_blank" rel="noopener noreferrer">
              {c}
            </a>
          ),
          h1: ({ children: c }) => <h1 style={{ fontSize: 'clamp(1.4rem, 1.2rem + 1vw, 1.75rem)' }}>{c}</h1>,
          h2: ({ children: c }) => <h2 style={{ fontSize: 'clamp(1.2rem, 1.1rem + 0.6vw, 1.4rem)' }}>{c}</h2>,
          table: ({ children: c }) => (
            <div style={{ overflowX: 'auto' }}>
              <table>{c}</table>
            </div>
          ),
        }}
      >
        {children}
      </ReactMarkdown>
    </Typography>
  );
}

/**
 * The Markdown editor with a live preview: side by side on a wide screen, "Write" and "Preview" tabs on a phone.
 */
export function MarkdownEditor({
  value,
  onChange,
  error,
  label,
  disabled,
  maxLength,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: React.ReactNode;
  label?: string;
  disabled?: boolean;
  /** the longest text the server takes */
  maxLength: number | undefined;
}) {
  const { t } = useTranslation('policies');
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  const [tab, setTab] = useState<string | null>('write');
  const editor = (
    <Textarea
      label={label ?? t('markdown.text')}
      description={t('markdown.help')}
      name="content"
      maxLength={maxLength}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      error={error}
      disabled={disabled}
      autosize
      minRows={16}
      maxRows={40}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, lineHeight: 1.5 } }}
      data-testid="markdown-input"
    />
  );
  const preview = (
    <Stack gap={6} style={{ minWidth: 0 }}>
      <Text size="sm" fw={500}>
        {t('markdown.preview')}
      </Text>
      <Box
        p="md"
        mih={200}
        style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: 'white', overflowWrap: 'anywhere' }}
        data-testid="markdown-preview"
      >
        {value.trim() ? (
          <Markdown>{value}</Markdown>
        ) : (
          <Text size="sm" c="dimmed">
            {t('markdown.previewEmpty')}
          </Text>
        )}
      </Box>
    </Stack>
  );
  if (wide)
    return (
      <Box style={{ display: 'grid', gridTemplateColumns: 'minmax(0,1fr) minmax(0,1fr)', gap: 16, alignItems: 'start' }}>
        {editor}
        {preview}
      </Box>
    );
  return (
    <Tabs value={tab} onChange={setTab} keepMounted={false}>
      <Tabs.List mb="sm">
        <Tabs.Tab value="write" leftSection={<IconPencil size={14} />}>
          {t('markdown.write')}
        </Tabs.Tab>
        <Tabs.Tab value="preview" leftSection={<IconEye size={14} />}>
          {t('markdown.preview')}
        </Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="write">{editor}</Tabs.Panel>
      <Tabs.Panel value="preview">{preview}</Tabs.Panel>
    </Tabs>
  );
}
