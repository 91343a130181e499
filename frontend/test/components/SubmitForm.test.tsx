import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { TaskType } from '../../src/api/types';
import { SubmitForm } from '../../src/components/SubmitForm/SubmitForm';

// What zod's toJSONSchema gives for z.object({ seconds: z.number().positive().default(30), mode: z.enum([...]), tags: z.array(z.string()) }).
const slow: TaskType = {
  name: 'slow_task',
  version: 2,
  parametersSchema: {
    type: 'object',
    properties: {
      seconds: { type: 'number', exclusiveMinimum: 0, default: 30, description: 'How long to sleep' },
      mode: { type: 'string', enum: ['fast', 'slow'] },
      tags: { type: 'array', items: { type: 'string' } },
      verbose: { type: 'boolean' },
    },
    required: ['mode'],
  },
};
const plain: TaskType = { name: 'echo_task', version: 1, parametersSchema: null };

describe('SubmitForm with a parameter schema', () => {
  it('renders one typed input per parameter, prefilled with defaults', () => {
    render(<SubmitForm types={[slow]} queues={['default']} onSubmit={vi.fn()} />);
    expect((screen.getByLabelText(/^seconds/) as HTMLInputElement).value).toBe('30');
    expect((screen.getByLabelText(/^seconds/) as HTMLInputElement).type).toBe('number');
    expect(screen.getByLabelText(/^mode/).tagName).toBe('SELECT');
    expect((screen.getByLabelText(/^verbose/) as HTMLInputElement).type).toBe('checkbox');
    expect(screen.getByText('How long to sleep')).toBeTruthy();
  });

  it('validates against the schema before sending', async () => {
    const onSubmit = vi.fn();
    render(<SubmitForm types={[slow]} queues={['default']} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText(/^seconds/));
    await user.type(screen.getByLabelText(/^seconds/), '-2');
    fireEvent.change(screen.getByLabelText(/^tags/), { target: { value: '[1, 2' } });
    await user.click(screen.getByRole('button', { name: 'Submit task' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('must be greater than 0')).toBeTruthy();
    expect(screen.getByText('is required')).toBeTruthy(); // mode
    expect(screen.getByText('is not valid JSON')).toBeTruthy();
  });

  it('sends typed parameters, leaving empty optional fields out', async () => {
    const onSubmit = vi.fn();
    render(<SubmitForm types={[slow]} queues={['default', 'slow']} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText(/^mode/), 'slow');
    await user.click(screen.getByLabelText(/^verbose/));
    await user.selectOptions(screen.getByLabelText('Queue'), 'slow');
    await user.click(screen.getByRole('button', { name: 'Submit task' }));
    expect(onSubmit).toHaveBeenCalledWith({
      body: { name: 'slow_task', version: 2, queue: 'slow', parameters: { seconds: 30, mode: 'slow', verbose: true } },
      runAt: null,
    });
  });

  it('switches to JSON and back without losing values', async () => {
    render(<SubmitForm types={[slow]} queues={[]} onSubmit={vi.fn()} />);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText(/^mode/), 'fast');
    await user.click(screen.getByRole('button', { name: 'Edit as JSON' }));
    const editor = screen.getByLabelText('Parameters (JSON)') as HTMLTextAreaElement;
    expect(JSON.parse(editor.value)).toEqual({ seconds: 30, mode: 'fast', verbose: false });
    fireEvent.change(editor, { target: { value: '{"seconds": 5, "mode": "slow"}' } });
    await user.click(screen.getByRole('button', { name: 'Edit as form' }));
    expect((screen.getByLabelText(/^seconds/) as HTMLInputElement).value).toBe('5');
    expect((screen.getByLabelText(/^mode/) as HTMLSelectElement).value).toBe('slow');
  });
});

describe('SubmitForm without a schema', () => {
  it('takes parameters as a JSON object and refuses anything else', async () => {
    const onSubmit = vi.fn();
    render(<SubmitForm types={[plain]} queues={[]} onSubmit={onSubmit} />);
    const editor = screen.getByLabelText('Parameters (JSON)');
    const user = userEvent.setup();
    fireEvent.change(editor, { target: { value: '[1, 2]' } });
    await user.click(screen.getByRole('button', { name: 'Submit task' }));
    expect(screen.getByRole('alert').textContent).toMatch(/must be a JSON object/);
    fireEvent.change(editor, { target: { value: '{"value": ' } });
    await user.click(screen.getByRole('button', { name: 'Submit task' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Not valid JSON/);
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(editor, { target: { value: '{"value": "hi"}' } });
    await user.click(screen.getByRole('button', { name: 'Submit task' }));
    expect(onSubmit).toHaveBeenCalledWith({
      body: { name: 'echo_task', version: 1, queue: null, parameters: { value: 'hi' } },
      runAt: null,
    });
  });

  it('schedules when a run time is given', async () => {
    const onSubmit = vi.fn();
    render(<SubmitForm types={[plain]} queues={[]} onSubmit={onSubmit} />);
    fireEvent.change(screen.getByLabelText('Run at'), { target: { value: '2030-01-02T03:04:05' } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Schedule task' }));
    expect(onSubmit.mock.calls[0]?.[0].runAt).toBe(new Date('2030-01-02T03:04:05').toISOString());
  });

  it('falls back to a name field when no task type is known, and checks the name', async () => {
    const onSubmit = vi.fn();
    render(<SubmitForm types={[]} queues={[]} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Task name'), '!nope');
    await user.click(screen.getByRole('button', { name: 'Submit task' }));
    expect(screen.getByRole('alert').textContent).toMatch(/name is not valid/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
