/**
 * The page: asks a question, reads the UI message stream (server-sent events of UI message
 * chunks) and shows the answer as it comes and each step's progress; Cancel aborts the request.
 * Plain browser JavaScript, so the example needs no bundler; in a React app `useChat` reads the
 * same stream.
 */
export const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>hotpath streaming</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; color: #1d2330; }
  h1 { font-size: 1.3rem; }
  form { display: flex; gap: .5rem; }
  input { flex: 1; padding: .4rem .6rem; font: inherit; }
  button { padding: .4rem .9rem; font: inherit; }
  #steps { list-style: none; padding: 0; display: flex; gap: .5rem; flex-wrap: wrap; }
  #steps li { border: 1px solid #c9d1e0; border-radius: 6px; padding: .2rem .6rem; }
  #steps li.running { background: #fff6d8; }
  #steps li.ok { background: #dff3e4; }
  #steps li.error { background: #fbe0e0; }
  #answer { white-space: pre-wrap; border-left: 3px solid #6b8cff; padding-left: .8rem; min-height: 3rem; }
  #status { color: #5a6478; }
</style>
</head>
<body>
<h1>hotpath: a chain streamed to the page</h1>
<form id="ask"><input id="question" value="Why are diffusion LLMs fast?"><button id="go">Ask</button><button id="cancel" type="button" disabled>Cancel</button></form>
<ul id="steps"></ul>
<p id="status">idle</p>
<div id="answer"></div>
<script>
const $ = (id) => document.getElementById(id);
let controller;
function showStep(data) {
  let li = document.querySelector('[data-step="' + data.stepId + '"]');
  if (!li) { li = document.createElement('li'); li.dataset.step = data.stepId; $('steps').append(li); }
  li.className = data.status;
  const items = data.items === undefined ? '' : ' ' + (data.itemsDone ?? 0) + '/' + data.items;
  li.textContent = data.stepId + items + ' · ' + data.status + (data.model ? ' · ' + data.model : '');
}
function apply(chunk) {
  if (chunk.type === 'text-delta') $('answer').textContent += chunk.delta;
  else if (chunk.type === 'data-step') showStep(chunk.data);
  else if (chunk.type === 'data-run') $('status').textContent = 'done: ' + chunk.data.status + ' in ' + (chunk.data.durationMs / 1000).toFixed(1) + ' s, first answer token at ' + ((chunk.data.answer?.firstTokenMs ?? 0) / 1000).toFixed(1) + ' s';
  else if (chunk.type === 'error') $('status').textContent = 'error: ' + chunk.errorText;
}
$('ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  controller = new AbortController();
  $('answer').textContent = ''; $('steps').textContent = ''; $('status').textContent = 'running';
  $('cancel').disabled = false;
  try {
    const response = await fetch('/api/chat', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: $('question').value }), signal: controller.signal,
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\\n\\n')) >= 0) {
        const event = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        const data = event.split('\\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('');
        if (data && data !== '[DONE]') apply(JSON.parse(data));
      }
    }
  } catch (error) {
    $('status').textContent = controller.signal.aborted ? 'cancelled' : 'error: ' + error.message;
  } finally {
    $('cancel').disabled = true;
  }
});
$('cancel').addEventListener('click', () => controller?.abort());
</script>
</body>
</html>
`;
