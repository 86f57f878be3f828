import { Anchor, Badge, Button, Card, Grid, Group, List, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconEdit, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, type Page } from '../../app/api.ts';
import { assetTypeLabels, formatDateTime, lifecycleLabels } from '../../app/labels.ts';
import { useCan, useScope } from '../../app/session.ts';
import type { AssetDetail, AuditEntry } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, ProtectionBadge, useConfirm } from '../../app/ui.tsx';
import { AuditEntries } from '../audit/AuditEntries.tsx';

export function AssetDetailPage() {
  const { scopeId, id } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const can = useCan(useScope(scopeId).data);
  const { confirm, dialog } = useConfirm();
  const asset = useQuery({ queryKey: ['asset', scopeId, id], queryFn: () => api.get<AssetDetail>(`/api/scopes/${scopeId}/assets/${id}`) });
  const audit = useQuery({
    queryKey: ['audit', scopeId, 'asset', id],
    queryFn: () => api.get<Page<AuditEntry>>(`/api/scopes/${scopeId}/audit`, { recordType: 'asset', recordId: id, pageSize: 100 }),
    enabled: can('audit:read'),
  });
  if (asset.isLoading) return <Skeleton h={300} />;
  if (asset.error || !asset.data) return <ErrorAlert error={asset.error} />;
  const a = asset.data;

  const remove = async () => {
    if (
      !(await confirm(
        `Delete ${a.reference}?`,
        `“${a.name}” and its links to other assets will be deleted. The audit trail keeps a record of it.`,
      ))
    )
      return;
    try {
      await api.delete(`/api/scopes/${scopeId}/assets/${id}`, { version: a.version });
      notifySuccess(`${a.reference} deleted`);
      void qc.invalidateQueries({ queryKey: ['assets', scopeId] });
      void navigate(`/s/${scopeId}/assets`);
    } catch (e) {
      notifyError(e);
      void asset.refetch();
    }
  };

  const links = (items: AssetDetail['dependsOn'], empty: string) =>
    items.length === 0 ? (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    ) : (
      <List spacing={4} size="sm">
        {items.map((d) => (
          <List.Item key={d.id}>
            <Anchor component={Link} to={`/s/${scopeId}/assets/${d.id}`}>
              {d.reference} {d.name}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              {assetTypeLabels[d.type]}
            </Text>
          </List.Item>
        ))}
      </List>
    );

  return (
    <>
      {dialog}
      <PageHeader
        title={
          <Group gap="sm">
            <Text span c="dimmed" ff="monospace" fz="inherit">
              {a.reference}
            </Text>
            {a.name}
          </Group>
        }
        description={`${assetTypeLabels[a.type]} · ${lifecycleLabels[a.lifecycleStatus]} · version ${a.version}, updated ${formatDateTime(a.updatedAt)}`}
        actions={
          <>
            {can('asset:delete') && (
              <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={remove}>
                Delete
              </Button>
            )}
            {can('asset:write') && (
              <Button leftSection={<IconEdit size={16} />} component={Link} to={`/s/${scopeId}/assets/${id}/edit`}>
                Edit
              </Button>
            )}
          </>
        }
      />
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="dependencies">Dependencies ({a.dependsOn.length + a.dependents.length})</Tabs.Tab>
          {can('audit:read') && <Tabs.Tab value="audit">Audit trail</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Card withBorder radius="md">
                <Stack gap="sm">
                  <Text fw={600}>Description</Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={a.description ? undefined : 'dimmed'}>
                    {a.description || 'No description yet.'}
                  </Text>
                  <Text fw={600} mt="sm">
                    Tags
                  </Text>
                  <Group gap={6}>
                    {a.tags.length ? (
                      a.tags.map((t) => (
                        <Badge key={t} variant="outline" color="gray">
                          {t}
                        </Badge>
                      ))
                    ) : (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    )}
                  </Group>
                </Stack>
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Card withBorder radius="md">
                <Stack gap="xs">
                  <Text fw={600}>Owner</Text>
                  <Text size="sm">{a.owner ? `${a.owner.name} (${a.owner.email})` : 'No owner yet'}</Text>
                  <Text fw={600} mt="sm">
                    Protection needs
                  </Text>
                  {(['confidentiality', 'integrity', 'availability'] as const).map((c) => (
                    <Group key={c} justify="space-between">
                      <Text size="sm" tt="capitalize">
                        {c}
                      </Text>
                      <ProtectionBadge level={a[c]} />
                    </Group>
                  ))}
                </Stack>
              </Card>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="dependencies">
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder radius="md">
                <Text fw={600} mb="sm">
                  Depends on
                </Text>
                {links(a.dependsOn, 'This asset depends on no other asset.')}
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder radius="md">
                <Text fw={600} mb="sm">
                  Needed by
                </Text>
                {links(a.dependents, 'No other asset depends on this one.')}
              </Card>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="audit">
          {audit.error ? (
            <ErrorAlert error={audit.error} />
          ) : audit.isLoading ? (
            <Skeleton h={120} />
          ) : (
            <AuditEntries entries={audit.data?.items ?? []} />
          )}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
