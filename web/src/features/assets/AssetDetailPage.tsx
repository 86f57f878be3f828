import { Anchor, Badge, Button, Card, DataList, Grid, Group, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowRight, IconEdit, IconHistory, IconLink, IconListDetails, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { OwnerValue, RecordLoadError, RecordMeta, useUrlTab } from '../../app/DetailParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { assetTypeLabels, formatDateTime, lifecycleColors, lifecycleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { AssetDetail } from '../../app/types.ts';
import { notifyError, notifySuccess, PageHeader, PageLoader, ProtectionBadge, Ref, useConfirm } from '../../app/ui.tsx';
import { RecordAuditTrail } from '../audit/AuditEntries.tsx';

const cia = [
  ['confidentiality', 'Confidentiality'],
  ['integrity', 'Integrity'],
  ['availability', 'Availability'],
] as const;

export function AssetDetailPage() {
  const { id = '' } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const asset = useQuery({ queryKey: ['asset', scopeId, id], queryFn: () => api.get<AssetDetail>(`/api/scopes/${scopeId}/assets/${id}`) });
  const tabs = ['overview', 'dependencies', ...(can('audit:read') ? ['audit'] : [])];
  const [tab, setTab] = useUrlTab(tabs);

  if (asset.isPending) return <PageLoader />;
  if (asset.error) {
    return <RecordLoadError title="Asset" listLabel="Assets" listTo={`/s/${scopeId}/assets`} error={asset.error} />;
  }
  const a = asset.data;

  const remove = async () => {
    const ok = await confirm({
      title: `Delete ${a.reference}?`,
      message: (
        <>
          “{a.name}” is removed from the asset register, with its links to other assets
          {a.dependents.length > 0 && ` (${a.dependents.length} asset${a.dependents.length === 1 ? ' depends' : 's depend'} on it)`}. The
          audit log keeps a record of the deletion.
        </>
      ),
      confirmLabel: 'Delete asset',
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/assets/${id}`, { version: a.version });
      notifySuccess(`${a.reference} “${a.name}” deleted`);
      qc.removeQueries({ queryKey: ['asset', scopeId, id] });
      void qc.invalidateQueries({ queryKey: ['assets', scopeId] });
      void qc.invalidateQueries({ queryKey: ['asset-candidates', scopeId] });
      for (const d of [...a.dependsOn, ...a.dependents]) void qc.invalidateQueries({ queryKey: ['asset', scopeId, d.id] });
      void navigate(`/s/${scopeId}/assets`);
    } catch (e) {
      notifyError(
        e instanceof ApiError && e.code === 'version_conflict'
          ? new Error('Another user changed this asset in the meantime. Check the current version, then delete again.')
          : e,
        'Not deleted',
      );
      void asset.refetch();
    }
  };

  const links = (items: AssetDetail['dependsOn'], empty: string, testId: string) =>
    items.length === 0 ? (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    ) : (
      <Stack gap={6} data-testid={testId}>
        {items.map((d) => (
          <Group key={d.id} gap="xs" wrap="nowrap">
            <Ref>{d.reference}</Ref>
            <Anchor component={Link} to={`/s/${scopeId}/assets/${d.id}`} size="sm" fw={500}>
              {d.name}
            </Anchor>
            <Text size="xs" c="dimmed">
              {assetTypeLabels[d.type]}
            </Text>
          </Group>
        ))}
      </Stack>
    );

  return (
    <>
      {dialog}
      <PageHeader
        documentTitle={`${a.reference} ${a.name}`}
        crumbs={[{ label: 'Assets', to: `/s/${scopeId}/assets` }, { label: a.reference }]}
        title={a.name}
        description={
          <RecordMeta reference={a.reference} version={a.version} updatedAt={a.updatedAt}>
            <Badge variant="light" color="gray">
              {assetTypeLabels[a.type]}
            </Badge>
            <Badge variant="dot" color={lifecycleColors[a.lifecycleStatus]}>
              {lifecycleLabels[a.lifecycleStatus]}
            </Badge>
          </RecordMeta>
        }
        actions={
          <>
            {can('asset:delete') && (
              <Button
                variant="default"
                color="red"
                c="red.7"
                leftSection={<IconTrash size={16} />}
                onClick={remove}
                data-testid="delete-asset"
              >
                Delete
              </Button>
            )}
            {can('asset:write') && (
              <Button leftSection={<IconEdit size={16} />} component={Link} to={`/s/${scopeId}/assets/${id}/edit`} data-testid="edit-asset">
                Edit
              </Button>
            )}
          </>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview" leftSection={<IconListDetails size={16} />}>
            Overview
          </Tabs.Tab>
          <Tabs.Tab value="dependencies" leftSection={<IconLink size={16} />}>
            Dependencies ({a.dependsOn.length + a.dependents.length})
          </Tabs.Tab>
          {can('audit:read') && (
            <Tabs.Tab value="audit" leftSection={<IconHistory size={16} />}>
              Audit trail
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack>
                <Card withBorder radius="md" p="lg">
                  <Title order={5} mb="xs">
                    Description
                  </Title>
                  <Text
                    size="sm"
                    style={{ whiteSpace: 'pre-wrap' }}
                    c={a.description ? undefined : 'dimmed'}
                    data-testid="asset-description"
                  >
                    {a.description || 'No description yet.'}
                  </Text>
                  <Title order={5} mt="lg" mb="xs">
                    Tags
                  </Title>
                  <Group gap={6}>
                    {a.tags.length ? (
                      a.tags.map((t) => (
                        <Badge
                          key={t}
                          variant="outline"
                          color="gray"
                          component={Link}
                          to={`/s/${scopeId}/assets?tag=${encodeURIComponent(t)}`}
                          style={{ cursor: 'pointer' }}
                        >
                          {t}
                        </Badge>
                      ))
                    ) : (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    )}
                  </Group>
                </Card>
                <Card withBorder radius="md" p="lg">
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
                    <div>
                      <Title order={5} mb="xs">
                        Depends on
                      </Title>
                      {links(a.dependsOn, 'No other asset.', 'depends-on')}
                    </div>
                    <div>
                      <Title order={5} mb="xs">
                        Needed by
                      </Title>
                      {links(a.dependents, 'No other asset depends on this one.', 'dependents')}
                    </div>
                  </SimpleGrid>
                </Card>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack>
                <Card withBorder radius="md" p="lg">
                  <Title order={5} mb="sm">
                    Protection needs
                  </Title>
                  <Stack gap="xs" data-testid="asset-protection">
                    {cia.map(([c, label]) => (
                      <Group key={c} justify="space-between">
                        <Text size="sm">{label}</Text>
                        <ProtectionBadge level={a[c]} />
                      </Group>
                    ))}
                  </Stack>
                  <Text size="xs" c="dimmed" mt="sm">
                    BSI 200-2 protection requirement categories
                  </Text>
                </Card>
                <Card withBorder radius="md" p="lg">
                  <DataList size="sm" labelWidth={90} gap="xs">
                    <DataList.Item>
                      <DataList.ItemLabel>Owner</DataList.ItemLabel>
                      <DataList.ItemValue>
                        <OwnerValue owner={a.owner} />
                      </DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Reference</DataList.ItemLabel>
                      <DataList.ItemValue ff="monospace">{a.reference}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Created</DataList.ItemLabel>
                      <DataList.ItemValue>{formatDateTime(a.createdAt)}</DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>Updated</DataList.ItemLabel>
                      <DataList.ItemValue>{formatDateTime(a.updatedAt)}</DataList.ItemValue>
                    </DataList.Item>
                  </DataList>
                  {can('audit:read') && (
                    <Button
                      variant="subtle"
                      size="compact-sm"
                      mt="sm"
                      rightSection={<IconArrowRight size={14} />}
                      onClick={() => setTab('audit')}
                    >
                      Show the audit trail
                    </Button>
                  )}
                </Card>
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="dependencies">
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder radius="md" p="lg" h="100%">
                <Title order={5}>Depends on</Title>
                <Text size="xs" c="dimmed" mb="sm">
                  Assets {a.name} needs to work. Their protection needs usually carry over to this one.
                </Text>
                {links(a.dependsOn, 'This asset depends on no other asset.', 'depends-on-full')}
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Card withBorder radius="md" p="lg" h="100%">
                <Title order={5}>Needed by</Title>
                <Text size="xs" c="dimmed" mb="sm">
                  Assets that stop working when {a.name} fails.
                </Text>
                {links(a.dependents, 'No other asset depends on this one.', 'dependents-full')}
              </Card>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        {can('audit:read') && (
          <Tabs.Panel value="audit">
            <RecordAuditTrail scopeId={scopeId} recordType="asset" recordId={a.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
