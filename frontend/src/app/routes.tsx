import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { Layout } from '../components/Layout/Layout';

// Pages load on first visit; the dashboard is what most sessions open, so it stays small.
const DashboardPage = lazy(() => import('../pages/DashboardPage/DashboardPage'));
const TasksPage = lazy(() => import('../pages/TasksPage/TasksPage'));
const TaskDetailPage = lazy(() => import('../pages/TaskDetailPage/TaskDetailPage'));
const SchedulePage = lazy(() => import('../pages/SchedulePage/SchedulePage'));
const DeadLetterPage = lazy(() => import('../pages/DeadLetterPage/DeadLetterPage'));
const QueuesPage = lazy(() => import('../pages/QueuesPage/QueuesPage'));
const RolesPage = lazy(() => import('../pages/RolesPage/RolesPage'));
const SubmitPage = lazy(() => import('../pages/SubmitPage/SubmitPage'));
const NotFoundPage = lazy(() => import('../pages/NotFoundPage/NotFoundPage'));

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <DashboardPage /> },
      { path: 'tasks', element: <TasksPage /> },
      { path: 'tasks/:taskId', element: <TaskDetailPage /> },
      { path: 'scheduled', element: <SchedulePage /> },
      { path: 'dlq', element: <DeadLetterPage /> },
      { path: 'queues', element: <QueuesPage /> },
      { path: 'roles', element: <RolesPage /> },
      { path: 'submit', element: <SubmitPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
