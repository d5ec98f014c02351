// The chat playground: a GGUF version or LLM service through the OpenAI API (/v1/chat/completions), tokens
// streamed over SSE, sampling controls, token counts and the time to the first token.
import { useRef, useState } from 'preact/hooks';
import { can, get, streamEvents } from '../api.js';
import { Card, ErrorBox, Field, Header, Stat, useAsync } from '../components.jsx';

const kDefaults = { temperature: 0.7, top_p: 0.95, top_k: 40, max_tokens: 256, seed: '' };

export function Chat({ me }) {
  const models = useAsync(() => (can.read(me.role) || can.invoke(me.role) ? get('/v1/models') : Promise.resolve({ data: [] })), []);
  const [model, setModel] = useState('');
  const [system, setSystem] = useState('');
  const [messages, setMessages] = useState([]);
  const [draft, setDraft] = useState('');
  const [sampling, setSampling] = useState(kDefaults);
  const [stats, setStats] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef(null);

  const send = async (e) => {
    e.preventDefault();
    if (!draft.trim() || !model) return;
    const history = [...messages, { role: 'user', content: draft.trim() }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setDraft('');
    setError(null);
    setBusy(true);
    const body = {
      model, stream: true, stream_options: { include_usage: true },
      messages: [...(system.trim() ? [{ role: 'system', content: system.trim() }] : []), ...history],
      temperature: Number(sampling.temperature), top_p: Number(sampling.top_p), top_k: Number(sampling.top_k),
      max_tokens: Number(sampling.max_tokens),
    };
    if (sampling.seed !== '') body.seed = Number(sampling.seed);
    const started = performance.now();
    let first = null, text = '', usage = null, finish = null, chunks = 0;
    abort.current = new AbortController();
    try {
      await streamEvents('POST', '/v1/chat/completions', body, ({ data }) => {
        if (data === '[DONE]') return;
        const chunk = JSON.parse(data);
        if (chunk.usage) usage = chunk.usage;
        const choice = (chunk.choices || [])[0];
        if (!choice) return;
        if (choice.finish_reason) finish = choice.finish_reason;
        const piece = (choice.delta && choice.delta.content) || '';
        if (piece) {
          if (first === null) first = performance.now() - started;
          chunks++;
          text += piece;
          setMessages([...history, { role: 'assistant', content: text }]);
        }
      }, abort.current.signal);
    } catch (err) {
      if (err.name !== 'AbortError') setError(err);
    } finally {
      const total = performance.now() - started;
      setStats({ ttft: first, total, usage, finish, chunks,
        rate: usage && first !== null && total > first ? (usage.completion_tokens - 1) / ((total - first) / 1000) : null });
      setBusy(false);
    }
  };
  const set = (k) => (e) => setSampling({ ...sampling, [k]: e.target.value });
  const list = (models.data && models.data.data) || [];
  return (
    <div>
      <Header title="Chat" sub="A language model through the OpenAI-compatible API, streamed token by token." />
      <ErrorBox error={models.error} />
      <div class="grid-chat">
        <Card title="Conversation" actions={<button class="ghost" onClick={() => { setMessages([]); setStats(null); }}>Clear</button>}>
          <div class="chat-log" aria-live="polite" data-testid="chat-log">
            {messages.length === 0 && <div class="empty">Pick a model and say something.</div>}
            {messages.map((m) => <div class={'msg ' + m.role}><span class="who">{m.role}</span><div>{m.content || (busy ? '…' : '')}</div></div>)}
          </div>
          <form class="row" onSubmit={send}>
            <input class="grow" value={draft} onInput={(e) => setDraft(e.target.value)} placeholder="Write a message" aria-label="Message" disabled={busy} />
            {busy ? <button type="button" onClick={() => abort.current.abort()}>Stop</button>
              : <button class="primary" type="submit" disabled={!model || !draft.trim()}>Send</button>}
          </form>
          <ErrorBox error={error} />
        </Card>
        <Card title="Settings">
          <Field label="Model">
            <select value={model} onChange={(e) => setModel(e.target.value)}>
              <option value="">choose…</option>
              {list.map((m) => <option value={m.id}>{m.id}</option>)}
            </select>
          </Field>
          {list.length === 0 && !models.loading && <p class="muted small">No language model is loaded (upload a GGUF file and load it).</p>}
          <Field label="System prompt"><textarea rows={2} value={system} onInput={(e) => setSystem(e.target.value)} /></Field>
          <Field label={`Temperature ${sampling.temperature}`}><input type="range" min="0" max="2" step="0.05" value={sampling.temperature} onInput={set('temperature')} /></Field>
          <Field label={`Top p ${sampling.top_p}`}><input type="range" min="0" max="1" step="0.01" value={sampling.top_p} onInput={set('top_p')} /></Field>
          <Field label="Top k"><input type="number" min="0" value={sampling.top_k} onInput={set('top_k')} /></Field>
          <Field label="Max tokens"><input type="number" min="1" value={sampling.max_tokens} onInput={set('max_tokens')} /></Field>
          <Field label="Seed" hint="empty: random"><input type="number" value={sampling.seed} onInput={set('seed')} /></Field>
          {stats && (
            <div class="stats small-stats">
              <Stat label="Time to first token" value={stats.ttft === null ? '—' : stats.ttft.toFixed(0) + ' ms'} />
              <Stat label="Total" value={stats.total.toFixed(0) + ' ms'} />
              <Stat label="Prompt tokens" value={stats.usage ? stats.usage.prompt_tokens : '—'} />
              <Stat label="Completion tokens" value={stats.usage ? stats.usage.completion_tokens : '—'} />
              <Stat label="Tokens/s" value={stats.rate ? stats.rate.toFixed(1) : '—'} />
              <Stat label="Finish" value={stats.finish || '—'} />
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
