import { Badge, Card, Drawer, Group, List, Select, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Background, Controls, type Edge, Handle, MarkerType, type Node, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../app/api.ts';
import { cadenceLabels, formatDate, phaseColors, phaseLabels } from '../../app/labels.ts';
import { useCan, useScope } from '../../app/session.ts';
import type { Member, ProcessInfo, ProcessMap } from '../../app/types.ts';
import { ErrorAlert, notifyError, PageHeader } from '../../app/ui.tsx';

const COL = 270;
const ROW = 120;
const phaseColumn = { plan: 0, do: 1, check: 2, act: 3 } as const;
const bands = [
  { type: 'governance', label: 'Governance', top: 0 },
  { type: 'core', label: 'Core processes', top: 1 },
  { type: 'support', label: 'Support processes', top: 6 },
] as const;

/** Places processes in bands by type (rows) and columns by PDCA phase. */
function layout(processes: ProcessInfo[]) {
  const used = new Map<string, number>();
  return new Map(
    processes.map((p) => {
      const band = bands.find((b) => b.type === p.type)!;
      const col = phaseColumn[p.phase];
      const key = `${p.type}-${col}`;
      const row = used.get(key) ?? 0;
      used.set(key, row + 1);
      return [p.key, { x: 40 + col * COL, y: band.top * ROW + 30 + row * ROW }];
    }),
  );
}

type ProcessNodeData = { process: ProcessInfo; dim: boolean };

function ProcessNode({ data }: NodeProps<Node<ProcessNodeData>>) {
  const p = data.process;
  return (
    <div
      data-testid="process-node"
      style={{
        width: 220,
        padding: '8px 10px',
        borderRadius: 8,
        background: 'white',
        border: `2px solid ${phaseColors[p.phase]}`,
        borderLeftWidth: 8,
        opacity: data.dim ? 0.35 : 1,
        boxShadow: '0 1px 3px rgba(0,0,0,.08)',
        fontSize: 12,
        cursor: 'pointer',
      }}
    >
      <Handle type="target" position={Position.Left} style={{ opacity: 0 }} />
      <div style={{ fontWeight: 600, lineHeight: 1.25 }}>{p.name}</div>
      <div style={{ color: '#666', marginTop: 2 }}>{p.owner?.name ?? 'No owner'}</div>
      <div style={{ marginTop: 4, display: 'flex', gap: 6 }}>
        <span>{p.openTasks} open</span>
        {p.overdueTasks > 0 && <span style={{ color: '#c92a2a', fontWeight: 600 }}>{p.overdueTasks} overdue</span>}
      </div>
      <Handle type="source" position={Position.Right} style={{ opacity: 0 }} />
    </div>
  );
}

function BandNode({ data }: NodeProps<Node<{ label: string; height: number }>>) {
  return (
    <div
      style={{
        width: 4 * COL + 40,
        height: data.height,
        background: 'rgba(28,78,128,0.04)',
        border: '1px dashed #c5d3e3',
        borderRadius: 12,
        pointerEvents: 'none',
      }}
    >
      <div style={{ fontSize: 11, fontWeight: 700, textTransform: 'uppercase', color: '#5c7390', padding: '4px 10px' }}>{data.label}</div>
    </div>
  );
}

const nodeTypes = { process: ProcessNode, band: BandNode };

/** The ISMS process model as a live map: processes grouped by type, coloured by PDCA phase, hand-offs as edges. */
export function ProcessMapPage() {
  const { scopeId } = useParams();
  const qc = useQueryClient();
  const can = useCan(useScope(scopeId).data);
  const [selected, setSelected] = useState<string | null>(null);
  const map = useQuery({ queryKey: ['processes', scopeId], queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`) });
  const members = useQuery({ queryKey: ['members', scopeId], queryFn: () => api.get<Member[]>(`/api/scopes/${scopeId}/members`) });

  const { nodes, edges } = useMemo(() => {
    if (!map.data) return { nodes: [], edges: [] };
    const pos = layout(map.data.processes);
    const related = new Set(
      selected ? map.data.handoffs.filter((h) => h.from === selected || h.to === selected).flatMap((h) => [h.from, h.to]) : [],
    );
    const bandNodes: Node[] = bands.map((b, i) => ({
      id: `band-${b.type}`,
      type: 'band',
      position: { x: 20, y: b.top * ROW + 5 },
      data: { label: b.label, height: ((bands[i + 1]?.top ?? 9) - b.top) * ROW - 10 },
      selectable: false,
      draggable: false,
      zIndex: -1,
    }));
    const processNodes: Node[] = map.data.processes.map((p) => ({
      id: p.key,
      type: 'process',
      position: pos.get(p.key)!,
      data: { process: p, dim: !!selected && !related.has(p.key) },
      draggable: false,
    }));
    const edgeList: Edge[] = map.data.handoffs.map((h, i) => {
      const active = selected === h.from || selected === h.to;
      return {
        id: `e${i}`,
        source: h.from,
        target: h.to,
        type: 'smoothstep',
        label: active ? h.output : undefined,
        labelStyle: { fontSize: 10 },
        animated: active,
        style: { stroke: active ? '#1c4e80' : '#b8c4d2', strokeWidth: active ? 2 : 1, opacity: selected && !active ? 0.25 : 1 },
        markerEnd: { type: MarkerType.ArrowClosed, color: active ? '#1c4e80' : '#b8c4d2' },
      };
    });
    return { nodes: [...bandNodes, ...processNodes], edges: edgeList };
  }, [map.data, selected]);

  const current = map.data?.processes.find((p) => p.key === selected);
  const update = async (p: ProcessInfo, patch: { ownerId?: string | null; cadence?: string }) => {
    try {
      await api.patch(`/api/scopes/${scopeId}/processes/${p.key}`, { version: p.version, ...patch });
      void qc.invalidateQueries({ queryKey: ['processes', scopeId] });
    } catch (e) {
      notifyError(e);
      void qc.invalidateQueries({ queryKey: ['processes', scopeId] });
    }
  };
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));

  return (
    <>
      <PageHeader
        title="Process map"
        description="The ISMS process reference model of this scope. Arrows are hand-offs: an output of one process is an input of another. Click a process to see its inputs, outputs and owner."
        actions={
          <Group gap="xs">
            {Object.entries(phaseLabels).map(([k, label]) => (
              <Badge key={k} color={phaseColors[k as keyof typeof phaseColors]} variant="filled">
                {label}
              </Badge>
            ))}
          </Group>
        }
      />
      <ErrorAlert error={map.error} />
      {map.isLoading ? (
        <Skeleton h={600} />
      ) : (
        <Card withBorder radius="md" p={0} h={{ base: 520, md: 880 }} data-testid="process-map">
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            fitView
            minZoom={0.3}
            nodesConnectable={false}
            onNodeClick={(_, n) => n.type === 'process' && setSelected(n.id)}
            onPaneClick={() => setSelected(null)}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={24} color="#e9eef4" />
            <Controls showInteractive={false} />
          </ReactFlow>
        </Card>
      )}
      <Card withBorder radius="md" mt="lg" p={0}>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Process</Table.Th>
                <Table.Th>Phase</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Cadence</Table.Th>
                <Table.Th>Next review</Table.Th>
                <Table.Th>Open / overdue</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {map.data?.processes.map((p) => (
                <Table.Tr key={p.key}>
                  <Table.Td>
                    <Text size="sm" fw={500} style={{ cursor: 'pointer' }} onClick={() => setSelected(p.key)}>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed" tt="capitalize">
                      {p.type}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={phaseColors[p.phase]} size="sm">
                      {phaseLabels[p.phase]}
                    </Badge>
                  </Table.Td>
                  <Table.Td w={220}>
                    {can('process:manage') ? (
                      <Select
                        size="xs"
                        placeholder="No owner"
                        clearable
                        searchable
                        data={memberData}
                        value={p.owner?.id ?? null}
                        onChange={(v) => update(p, { ownerId: v })}
                        aria-label={`Owner of ${p.name}`}
                      />
                    ) : (
                      <Text size="sm">{p.owner?.name ?? '—'}</Text>
                    )}
                  </Table.Td>
                  <Table.Td w={160}>
                    {can('process:manage') ? (
                      <Select
                        size="xs"
                        allowDeselect={false}
                        data={Object.entries(cadenceLabels).map(([value, label]) => ({ value, label }))}
                        value={p.cadence}
                        onChange={(v) => v && update(p, { cadence: v })}
                        aria-label={`Cadence of ${p.name}`}
                      />
                    ) : (
                      <Text size="sm">{cadenceLabels[p.cadence]}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(p.nextReviewOn)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      <Link to={`/s/${scopeId}/tasks?processKey=${p.key}`}>{p.openTasks}</Link>
                      {p.overdueTasks > 0 && (
                        <Text span c="red" fw={600}>
                          {' '}
                          / {p.overdueTasks} overdue
                        </Text>
                      )}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Drawer
        opened={!!current}
        onClose={() => setSelected(null)}
        position="right"
        size="md"
        title={<Title order={4}>{current?.name}</Title>}
      >
        {current && (
          <Stack>
            <Group gap="xs">
              <Badge color={phaseColors[current.phase]}>{phaseLabels[current.phase]}</Badge>
              <Badge variant="light" tt="capitalize">
                {current.type}
              </Badge>
              <Badge variant="outline">{cadenceLabels[current.cadence]}</Badge>
            </Group>
            <Text size="sm">{current.description}</Text>
            <Text size="sm">
              <b>Owner:</b> {current.owner?.name ?? 'none yet'}
            </Text>
            <div>
              <Text fw={600} size="sm">
                Inputs
              </Text>
              <List size="sm">
                {current.inputs.length ? (
                  current.inputs.map((i) => <List.Item key={i}>{i}</List.Item>)
                ) : (
                  <Text size="sm" c="dimmed">
                    From outside the ISMS
                  </Text>
                )}
              </List>
            </div>
            <div>
              <Text fw={600} size="sm">
                Outputs
              </Text>
              <List size="sm">
                {current.outputs.map((o) => (
                  <List.Item key={o}>{o}</List.Item>
                ))}
              </List>
            </div>
            <Text size="sm">
              <Link to={`/s/${scopeId}/tasks`}>
                {current.openTasks} open task{current.openTasks === 1 ? '' : 's'}
              </Link>
              {current.overdueTasks > 0 && `, ${current.overdueTasks} overdue`}
            </Text>
          </Stack>
        )}
      </Drawer>
    </>
  );
}
