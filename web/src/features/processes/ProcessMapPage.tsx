import '@xyflow/react/dist/style.css';
import {
  Anchor,
  Badge,
  Box,
  Button,
  Card,
  DataList,
  Divider,
  Drawer,
  Group,
  List,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowRight, IconChecklist } from '@tabler/icons-react';
import { Background, Controls, type Edge, Handle, MarkerType, type Node, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { formatDate, phaseColors, phaseDescriptions, phaseLabels, processTypeLabels, relativeDay } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { Handoff, Phase, ProcessInfo, ProcessMap, ProcessType, UpdateProcessInput } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, TableSkeleton } from '../../app/ui.tsx';
import { CadenceEditor, CadenceText, useProcessCadences } from '../cadences/CadenceEditor.tsx';
import { UpcomingCadences } from '../cadences/UpcomingCadences.tsx';
import { HandoffDrawer, HandoffTable } from './HandoffDrawer.tsx';

const NODE_W = 212;
const NODE_H = 78;
const COL_W = 248;
const ROW_H = 96;
const BAND_PAD_TOP = 30;
const BAND_PAD_BOTTOM = 10;
const BAND_GAP = 14;
const HEADER_H = 34;
const LEFT = 16;
const phases: Phase[] = ['plan', 'do', 'check', 'act'];
const bandOrder: ProcessType[] = ['governance', 'core', 'support'];

interface Slot {
  x: number;
  y: number;
  col: number;
  row: number;
}

/** Bands by process type (rows), columns by PDCA phase; returns positions and the bands' geometry. */
function layout(processes: ProcessInfo[]) {
  const slots = new Map<string, Slot>();
  const bands: { type: ProcessType; y: number; height: number }[] = [];
  let y = HEADER_H;
  let globalRow = 0;
  for (const type of bandOrder) {
    const inBand = processes.filter((p) => p.type === type);
    if (inBand.length === 0) continue;
    const perCol = phases.map((ph) => inBand.filter((p) => p.phase === ph));
    const rows = Math.max(...perCol.map((c) => c.length));
    for (const [ci, col] of perCol.entries()) {
      for (const [ri, p] of col.entries()) {
        slots.set(p.key, { x: LEFT + 16 + ci * COL_W, y: y + BAND_PAD_TOP + ri * ROW_H, col: ci, row: globalRow + ri });
      }
    }
    const height = BAND_PAD_TOP + rows * ROW_H - (ROW_H - NODE_H) + BAND_PAD_BOTTOM;
    bands.push({ type, y, height });
    y += height + BAND_GAP;
    globalRow += rows + 1;
  }
  return { slots, bands, width: LEFT * 2 + 16 + phases.length * COL_W - (COL_W - NODE_W) + 16 };
}

/** Which sides an edge leaves and enters, so arrows do not cut through other processes. */
function handlesFor(from: Slot, to: Slot): { sourceHandle: string; targetHandle: string } {
  if (to.col > from.col) return { sourceHandle: 'r-s', targetHandle: 'l-t' };
  if (to.col < from.col) return { sourceHandle: 'l-s', targetHandle: 'r-t' };
  if (Math.abs(to.row - from.row) === 1)
    return to.row > from.row ? { sourceHandle: 'b-s', targetHandle: 't-t' } : { sourceHandle: 't-s', targetHandle: 'b-t' };
  return { sourceHandle: 'r-s', targetHandle: 'r-t' };
}

type ProcessNodeData = { process: ProcessInfo; dim: boolean; active: boolean };

const hidden = { opacity: 0, width: 6, height: 6, minWidth: 0, minHeight: 0, border: 0 };
function Handles() {
  return (
    <>
      {(
        [
          ['l', Position.Left],
          ['r', Position.Right],
          ['t', Position.Top],
          ['b', Position.Bottom],
        ] as const
      ).map(([id, pos]) => (
        <span key={id}>
          <Handle id={`${id}-s`} type="source" position={pos} style={hidden} isConnectable={false} />
          <Handle id={`${id}-t`} type="target" position={pos} style={hidden} isConnectable={false} />
        </span>
      ))}
    </>
  );
}

function ProcessNode({ data }: NodeProps<Node<ProcessNodeData>>) {
  const { t } = useTranslation('processes');
  const p = data.process;
  const color = phaseColors[p.phase];
  return (
    <div
      data-testid="process-node"
      data-process={p.key}
      title={`${p.name}: ${p.description}`}
      style={{
        width: NODE_W,
        height: NODE_H,
        padding: '7px 10px 7px 12px',
        borderRadius: 8,
        background: data.active ? `color-mix(in srgb, ${color} 8%, white)` : 'white',
        border: `1px solid ${data.active ? color : '#d5dce5'}`,
        borderLeft: `6px solid ${color}`,
        opacity: data.dim ? 0.3 : 1,
        boxShadow: data.active ? `0 0 0 3px color-mix(in srgb, ${color} 25%, transparent)` : '0 1px 2px rgba(16,24,40,.06)',
        fontSize: 12,
        cursor: 'pointer',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'space-between',
        transition: 'opacity 120ms, box-shadow 120ms',
      }}
    >
      <Handles />
      <div
        style={{
          fontWeight: 600,
          lineHeight: 1.2,
          color: '#1a2533',
          overflow: 'hidden',
          display: '-webkit-box',
          WebkitLineClamp: 2,
          WebkitBoxOrient: 'vertical',
        }}
      >
        {p.name}
      </div>
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 6, alignItems: 'flex-end' }}>
        <span style={{ color: p.owner ? '#5c6b7a' : '#a0a9b4', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {p.owner?.name ?? t('noOwner')}
        </span>
        <span style={{ whiteSpace: 'nowrap', display: 'flex', gap: 6 }}>
          <span style={{ color: p.openTasks ? '#1d548f' : '#8a96a3', fontWeight: p.openTasks ? 600 : 400 }} data-testid="process-open">
            {t('open', { count: p.openTasks })}
          </span>
          {p.overdueTasks > 0 && (
            <span style={{ color: '#c92a2a', fontWeight: 700 }} data-testid="process-overdue">
              {t('overdue', { count: p.overdueTasks })}
            </span>
          )}
        </span>
      </div>
    </div>
  );
}

function BandNode({ data }: NodeProps<Node<{ label: string; width: number; height: number }>>) {
  return (
    <div
      style={{
        width: data.width,
        height: data.height,
        background: 'rgba(29,84,143,0.035)',
        border: '1px dashed #c3d0df',
        borderRadius: 12,
        pointerEvents: 'none',
      }}
    >
      <div style={{ fontSize: 11, fontWeight: 700, textTransform: 'uppercase', letterSpacing: 0.5, color: '#58708c', padding: '7px 12px' }}>
        {data.label}
      </div>
    </div>
  );
}

function PhaseHeaderNode({ data }: NodeProps<Node<{ phase: Phase }>>) {
  const color = phaseColors[data.phase];
  return (
    <div style={{ width: NODE_W, textAlign: 'center', pointerEvents: 'none' }}>
      <span
        style={{
          display: 'inline-block',
          padding: '3px 12px',
          borderRadius: 99,
          background: color,
          color: 'white',
          fontSize: 11,
          fontWeight: 700,
          letterSpacing: 0.4,
        }}
      >
        {phaseLabels[data.phase].toUpperCase()}
      </span>
    </div>
  );
}

const nodeTypes = { process: ProcessNode, band: BandNode, phase: PhaseHeaderNode };

function useUpdateProcess(scopeId: string) {
  const { t } = useTranslation('processes');
  const qc = useQueryClient();
  return async (p: ProcessInfo, patch: Omit<UpdateProcessInput, 'version'>) => {
    try {
      const body: UpdateProcessInput = { version: p.version, ...patch };
      const saved = await api.patch<ProcessInfo, UpdateProcessInput>(`/api/scopes/${scopeId}/processes/${p.key}`, body);
      notifySuccess(t('saved', { name: saved.name }));
    } catch (e) {
      notifyError(e instanceof ApiError && e.code === 'version_conflict' ? new Error(t('conflict')) : e);
    }
    void qc.invalidateQueries({ queryKey: ['processes', scopeId] });
  };
}

/** Owner, cadence and next review of a process: editable for managers, text for everyone else. */
function ProcessSettings({
  p,
  memberData,
  update,
  size = 'xs',
  wrap = (n) => n,
}: {
  p: ProcessInfo;
  memberData: { value: string; label: string }[];
  update: ReturnType<typeof useUpdateProcess>;
  size?: 'xs' | 'sm';
  wrap?: (node: ReactNode, key: string) => ReactNode;
}) {
  const { t } = useTranslation('processes');
  const scopeId = useCurrentScope().id;
  const cadences = useProcessCadences(scopeId);
  return (
    <>
      {wrap(
        <Select
          size={size}
          label={size === 'sm' ? t('col.owner') : undefined}
          placeholder={t('noOwner')}
          clearable
          searchable
          data={memberData}
          value={p.owner?.id ?? null}
          onChange={(v) => v !== (p.owner?.id ?? null) && update(p, { ownerId: v })}
          aria-label={t('ownerOf', { name: p.name })}
          data-testid={`process-owner-${p.key}`}
        />,
        'owner',
      )}
      {size === 'sm' ? (
        // the drawer: the cadence editor (rule, schedule, lead and escalation days, the next dates)
        <CadenceEditor key="cadence" scopeId={scopeId} processKey={p.key} editable />
      ) : (
        <>
          {wrap(<CadenceText cadence={cadences.data?.items.find((c) => c.processKey === p.key)} />, 'cadence')}
          {wrap(<Text size="sm">{formatDate(p.nextReviewOn)}</Text>, 'review')}
        </>
      )}
    </>
  );
}

/** The ISMS process model as a live map: processes grouped by type, coloured by PDCA phase, hand-offs as edges. */
export function ProcessMapPage() {
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [selected, setSelected] = useState<string | null>(null);
  const [hovered, setHovered] = useState<string | null>(null);
  const [hoveredEdge, setHoveredEdge] = useState<string | null>(null);
  const [openEdge, setOpenEdge] = useState<Handoff | null>(null);
  const { t: tm } = useTranslation('handoffs');
  const { t } = useTranslation('processes');
  const map = useQuery({ queryKey: ['processes', scopeId], queryFn: () => api.get<ProcessMap>(`/api/scopes/${scopeId}/processes`) });
  const members = useMembers(scopeId, can('member:read'));
  const update = useUpdateProcess(scopeId);
  const cadences = useProcessCadences(scopeId);
  const editable = can('process:manage');
  const memberData = (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));

  const graph = useMemo(() => {
    if (!map.data) return { nodes: [] as Node[], edges: [] as Edge[], height: 600 };
    const { slots, bands, width } = layout(map.data.processes);
    const focus = hovered ?? selected;
    const related = new Set(
      focus ? map.data.handoffs.filter((h) => h.from === focus || h.to === focus).flatMap((h) => [h.from, h.to]) : [],
    );
    const bandNodes: Node[] = bands.map((b) => ({
      id: `band-${b.type}`,
      type: 'band',
      position: { x: LEFT, y: b.y },
      data: { label: t(`band.${b.type}`), width: width - LEFT * 2, height: b.height },
      selectable: false,
      draggable: false,
      focusable: false,
      zIndex: -1,
    }));
    const headerNodes: Node[] = phases.map((ph, i) => ({
      id: `phase-${ph}`,
      type: 'phase',
      position: { x: LEFT + 16 + i * COL_W, y: 4 },
      data: { phase: ph },
      selectable: false,
      draggable: false,
      focusable: false,
    }));
    const processNodes: Node[] = map.data.processes.map((p) => {
      const s = slots.get(p.key) ?? { x: 0, y: 0, col: 0, row: 0 };
      return {
        id: p.key,
        type: 'process',
        position: { x: s.x, y: s.y },
        data: { process: p, dim: !!focus && !related.has(p.key), active: p.key === selected },
        draggable: false,
        ariaLabel: `${p.name}, ${phaseLabels[p.phase]}, ${t('openTasks', { count: p.openTasks })}${p.overdueTasks ? `, ${t('overdue', { count: p.overdueTasks })}` : ''}`,
      };
    });
    const edges: Edge[] = map.data.handoffs.flatMap((h: Handoff, i) => {
      const from = slots.get(h.from);
      const to = slots.get(h.to);
      if (!from || !to) return [];
      const id = `e${i}`;
      const planned = h.status === 'planned';
      const active = focus === h.from || focus === h.to || hoveredEdge === id;
      // a live edge with work waiting always says how much; others show their output on hover
      const label = h.waiting > 0 ? tm('waiting', { count: h.waiting }) : hoveredEdge === id ? h.output : undefined;
      const color = h.overdue > 0 ? '#c92a2a' : planned ? '#c3ccd6' : active || h.waiting > 0 ? '#1d548f' : '#7f93a8';
      return [
        {
          id,
          source: h.from,
          target: h.to,
          ...handlesFor(from, to),
          type: 'default',
          label,
          animated: !planned && h.waiting > 0,
          className: `edge-${h.from}--${h.to}`,
          interactionWidth: 16,
          labelStyle: { fontSize: 10, fill: h.overdue > 0 ? '#c92a2a' : '#1a2533', fontWeight: 600 },
          labelBgPadding: [4, 2] as [number, number],
          labelBgBorderRadius: 4,
          labelBgStyle: { fill: 'white', fillOpacity: 0.95 },
          zIndex: active || h.waiting > 0 ? 10 : 0,
          style: {
            stroke: color,
            strokeWidth: active ? 2.2 : h.waiting > 0 ? 1.8 : 1.2,
            strokeDasharray: planned ? '5 4' : undefined,
            opacity: focus && !active ? 0.12 : 1,
            cursor: planned ? 'default' : 'pointer',
          },
          markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
          data: { output: h.output, edge: `${h.from}>${h.to}`, planned },
          ariaLabel: `${h.output}: ${planned ? tm('planned') : tm('waiting', { count: h.waiting })}`,
        },
      ];
    });
    const last = bands[bands.length - 1];
    return { nodes: [...bandNodes, ...headerNodes, ...processNodes], edges, height: last ? last.y + last.height : 600 };
  }, [map.data, selected, hovered, hoveredEdge, tm, t]);

  const current = map.data?.processes.find((p) => p.key === selected);
  const nameOf = (key: string) => map.data?.processes.find((p) => p.key === key)?.name ?? key;
  const inputsOf = (key: string) => (map.data?.handoffs ?? []).filter((h) => h.to === key);
  const outputsOf = (key: string) => (map.data?.handoffs ?? []).filter((h) => h.from === key);
  const group = (hs: Handoff[], side: 'from' | 'to') => {
    const by = new Map<string, string[]>();
    for (const h of hs) by.set(h.output, [...(by.get(h.output) ?? []), h[side]]);
    return [...by];
  };
  const totals = map.data?.processes.reduce((t, p) => ({ open: t.open + p.openTasks, overdue: t.overdue + p.overdueTasks }), {
    open: 0,
    overdue: 0,
  });

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          totals && (
            <Group gap="xs">
              <Badge size="lg" variant="light">
                {t('openTasks', { count: totals.open })}
              </Badge>
              {totals.overdue > 0 && (
                <Badge size="lg" variant="light" color="red">
                  {t('overdue', { count: totals.overdue })}
                </Badge>
              )}
            </Group>
          )
        }
      />
      <ErrorAlert error={map.error} />
      <HandoffDrawer
        scopeId={scopeId}
        edge={openEdge ? `${openEdge.from}>${openEdge.to}` : null}
        title={openEdge ? tm('waitingTitle', { from: nameOf(openEdge.from), to: nameOf(openEdge.to), output: openEdge.output }) : ''}
        onClose={() => setOpenEdge(null)}
      />
      <Group gap="md" mb="sm" wrap="wrap" data-testid="phase-legend">
        <Group gap={6} wrap="nowrap">
          <Box w={22} h={0} style={{ borderTop: '2px solid #1d548f' }} />
          <Text size="sm">{tm('live')}</Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <Box w={22} h={0} style={{ borderTop: '2px dashed #c3ccd6' }} />
          <Text size="sm">{tm('planned')}</Text>
        </Group>
        {phases.map((ph) => (
          <Tooltip key={ph} label={phaseDescriptions[ph]}>
            <Group gap={6} wrap="nowrap">
              <Box w={12} h={12} style={{ borderRadius: 3, background: phaseColors[ph] }} />
              <Text size="sm" fw={500}>
                {phaseLabels[ph]}
              </Text>
              <Text size="xs" c="dimmed" visibleFrom="md">
                {phaseDescriptions[ph]}
              </Text>
            </Group>
          </Tooltip>
        ))}
      </Group>
      {map.isPending ? (
        <Card withBorder radius="md" h={600}>
          <TableSkeleton rows={8} />
        </Card>
      ) : (
        map.data && (
          <Card
            withBorder
            radius="md"
            p={0}
            h={phone ? 480 : Math.min(900, Math.max(560, graph.height + 40))}
            data-testid="process-map"
            style={{ overflow: 'hidden' }}
          >
            <ReactFlow
              nodes={graph.nodes}
              edges={graph.edges}
              nodeTypes={nodeTypes}
              fitView
              fitViewOptions={{ padding: 0.04 }}
              minZoom={0.25}
              maxZoom={1.6}
              nodesConnectable={false}
              nodesDraggable={false}
              elementsSelectable={false}
              panOnScroll={false}
              zoomOnScroll={!phone}
              preventScrolling={false}
              onNodeClick={(_, n) => n.type === 'process' && setSelected(n.id)}
              onNodeMouseEnter={(_, n) => n.type === 'process' && setHovered(n.id)}
              onNodeMouseLeave={() => setHovered(null)}
              onEdgeMouseEnter={(_, e) => setHoveredEdge(e.id)}
              onEdgeMouseLeave={() => setHoveredEdge(null)}
              onEdgeClick={(_, e) => {
                const h = map.data.handoffs.find((x) => `${x.from}>${x.to}` === (e.data as { edge?: string } | undefined)?.edge);
                if (h && h.status === 'live') setOpenEdge(h);
              }}
              onPaneClick={() => setSelected(null)}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={24} color="#e6ebf1" />
              <Controls showInteractive={false} position="bottom-right" />
            </ReactFlow>
          </Card>
        )
      )}

      <Card withBorder radius="md" mt="lg" p={0}>
        <Group p="md" justify="space-between">
          <Title order={4}>{t('processes')}</Title>
          {editable && (
            <Text size="xs" c="dimmed">
              {t('ownerHint')}
            </Text>
          )}
        </Group>
        <Table.ScrollContainer minWidth={editable ? 1000 : 760}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="process-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.process')}</Table.Th>
                <Table.Th>{t('col.phase')}</Table.Th>
                <Table.Th>{t('col.owner')}</Table.Th>
                <Table.Th>{t('col.cadence')}</Table.Th>
                <Table.Th>{t('col.nextReview')}</Table.Th>
                <Table.Th>{t('col.tasks')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {map.data?.processes.map((p) => (
                <Table.Tr key={p.key} data-testid="process-row">
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" fw={500} onClick={() => setSelected(p.key)} ta="left">
                      {p.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {processTypeLabels[p.type]}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={phaseColors[p.phase]} size="sm" variant="filled">
                      {phaseLabels[p.phase]}
                    </Badge>
                  </Table.Td>
                  {editable ? (
                    <ProcessSettings
                      p={p}
                      memberData={memberData}
                      update={update}
                      wrap={(n, key) => (
                        <Table.Td key={key} w={key === 'owner' ? 220 : 170}>
                          {n}
                        </Table.Td>
                      )}
                    />
                  ) : (
                    <>
                      <Table.Td>
                        <Text size="sm" c={p.owner ? undefined : 'dimmed'}>
                          {p.owner?.name ?? t('noOwner')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <CadenceText cadence={cadences.data?.items.find((c) => c.processKey === p.key)} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatDate(p.nextReviewOn)}</Text>
                      </Table.Td>
                    </>
                  )}
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Anchor
                        component={Link}
                        to={`/s/${scopeId}/tasks?processKey=${encodeURIComponent(p.key)}`}
                        size="sm"
                        style={{ whiteSpace: 'nowrap' }}
                      >
                        {t('open', { count: p.openTasks })}
                      </Anchor>
                      {p.overdueTasks > 0 && (
                        <Text span size="sm" c="red.7" fw={600} style={{ whiteSpace: 'nowrap' }}>
                          {t('overdue', { count: p.overdueTasks })}
                        </Text>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      {map.data && <HandoffTable handoffs={map.data.handoffs} nameOf={nameOf} onOpen={setOpenEdge} />}

      <UpcomingCadences scopeId={scopeId} />

      <Drawer
        opened={!!current}
        onClose={() => setSelected(null)}
        position="right"
        size="md"
        withOverlay={false}
        lockScroll={false}
        shadow="xl"
        title={
          current && (
            <Stack gap={4}>
              <Title order={4}>{current.name}</Title>
              <Group gap={6}>
                <Badge color={phaseColors[current.phase]} variant="filled" size="sm">
                  {phaseLabels[current.phase]}
                </Badge>
                <Badge variant="light" color="gray" size="sm">
                  {processTypeLabels[current.type]}
                </Badge>
              </Group>
            </Stack>
          )
        }
        data-testid="process-drawer"
      >
        {current && (
          <Stack>
            <Text size="sm">{current.description}</Text>
            <DataList size="sm" labelWidth={100} withDivider>
              <DataList.Item>
                <DataList.ItemLabel>{t('col.owner')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  {current.owner?.name ?? (
                    <Text span c="dimmed" size="sm">
                      {t('noOwnerYet')}
                    </Text>
                  )}
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('col.cadence')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  <CadenceText cadence={cadences.data?.items.find((c) => c.processKey === current.key)} />
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('col.nextReview')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  {formatDate(current.nextReviewOn)}
                  {current.nextReviewOn && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({relativeDay(current.nextReviewOn)})
                    </Text>
                  )}
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('col.tasks')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  {t('open', { count: current.openTasks })}
                  {current.overdueTasks > 0 && (
                    <Text span c="red.7" fw={600} size="sm">
                      {' '}
                      · {t('overdue', { count: current.overdueTasks })}
                    </Text>
                  )}
                </DataList.ItemValue>
              </DataList.Item>
            </DataList>
            <Button
              component={Link}
              to={`/s/${scopeId}/tasks?processKey=${encodeURIComponent(current.key)}`}
              variant="light"
              leftSection={<IconChecklist size={16} />}
              data-testid="process-tasks-link"
            >
              {t('showTasks')}
            </Button>
            <Divider label={t('inputs')} labelPosition="left" />
            {inputsOf(current.key).length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('fromOutside')}
              </Text>
            ) : (
              <List size="sm" spacing={6}>
                {group(inputsOf(current.key), 'from').map(([output, from]) => (
                  <List.Item key={output}>
                    <Text size="sm">{output}</Text>
                    <Text size="xs" c="dimmed">
                      {t('from')}{' '}
                      {from.map((k) => (
                        <Anchor key={k} component="button" type="button" size="xs" onClick={() => setSelected(k)} mr={6}>
                          {nameOf(k)}
                        </Anchor>
                      ))}
                    </Text>
                  </List.Item>
                ))}
              </List>
            )}
            <Divider label={t('outputs')} labelPosition="left" />
            {outputsOf(current.key).length === 0 ? (
              <Text size="sm" c="dimmed">
                {current.outputs.length ? current.outputs.join(', ') : t('noHandoffs')}
              </Text>
            ) : (
              <List size="sm" spacing={6}>
                {group(outputsOf(current.key), 'to').map(([output, to]) => (
                  <List.Item key={output}>
                    <Text size="sm">{output}</Text>
                    <Group gap={4} wrap="wrap">
                      <IconArrowRight size={12} color="var(--mantine-color-dimmed)" />
                      {to.map((k) => (
                        <Anchor key={k} component="button" type="button" size="xs" onClick={() => setSelected(k)} mr={6}>
                          {nameOf(k)}
                        </Anchor>
                      ))}
                    </Group>
                  </List.Item>
                ))}
              </List>
            )}
            {editable && (
              <>
                <Divider label={t('settings')} labelPosition="left" />
                <ProcessSettings p={current} memberData={memberData} update={update} size="sm" />
              </>
            )}
          </Stack>
        )}
      </Drawer>
    </>
  );
}
