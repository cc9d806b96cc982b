-- Drives custody's language server from Neovim's built-in LSP client (Neovim >= 0.7).
-- Run by tests/lsp/test_neovim.py as
--   nvim --headless --clean -n -i NONE -u NONE -c 'luafile tests/lsp/nvim_custody.lua'
-- with these environment variables:
--   CUSTODY_NVIM_FILE    the .x07t file to open (a copy of examples/use_after_move.x07t)
--   CUSTODY_NVIM_PYTHON  the Python that runs `custody lsp`
--   CUSTODY_NVIM_RESULT  where to write the JSON result
--   CUSTODY_NVIM_WAIT_MS how long each wait may take (default 30000)
-- Every step waits until its condition holds (vim.wait), never for a fixed time; whatever
-- happens, a result file is written and Neovim exits (status 1 on failure).

local file = assert(os.getenv('CUSTODY_NVIM_FILE'), 'CUSTODY_NVIM_FILE not set')
local python = assert(os.getenv('CUSTODY_NVIM_PYTHON'), 'CUSTODY_NVIM_PYTHON not set')
local result_path = assert(os.getenv('CUSTODY_NVIM_RESULT'), 'CUSTODY_NVIM_RESULT not set')
local wait_ms = tonumber(os.getenv('CUSTODY_NVIM_WAIT_MS') or '') or 30000

local result = { steps = {}, server_log = {} }

local function step(name)
  table.insert(result.steps, name)
end

local function write_result()
  local f = assert(io.open(result_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

-- the diagnostics exactly as the server published them (Neovim 0.7 keeps no ranges of its own
-- in user_data.lsp), by uri; the default handler still turns them into vim.diagnostic entries
local published = {}

local function on_publish(err, params, ctx, config)
  if params and params.uri then
    published[params.uri] = params.diagnostics or {}
    result.publishes = (result.publishes or 0) + 1
  end
  return vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
end

local function lsp_diag(d, uri)
  -- the published LSP diagnostic behind a vim.diagnostic entry (same code and start)
  for _, raw in ipairs(published[uri] or {}) do
    if raw.code == d.code and raw.range.start.line == d.lnum then
      return raw
    end
  end
  return (d.user_data and d.user_data.lsp) or {}
end

local function target_pos(d)
  return { line = d.lnum, character = d.col }
end

local function run()
  result.nvim_version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
    .. '.' .. tostring(vim.version().patch)
  -- the documented setup (editors/neovim/lua/custody.lua) starts and attaches the client
  local plugin = assert(os.getenv('CUSTODY_NVIM_PLUGIN'), 'CUSTODY_NVIM_PLUGIN not set')
  vim.opt.runtimepath:append(plugin)
  local exited = nil
  require('custody').setup({
    cmd = { python, '-c', "import sys; from custody.cli import main; sys.exit(main(['lsp']))" },
    flags = { debounce_text_changes = 0 },
    handlers = {
      ['window/logMessage'] = function(_, params)
        table.insert(result.server_log, params.message)
      end,
      ['textDocument/publishDiagnostics'] = on_publish,
    },
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  step('client started')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  result.uri = vim.uri_from_bufnr(bufnr)
  result.filetype = vim.bo[bufnr].filetype
  local client_id = nil
  vim.wait(wait_ms, function()
    for id, _ in pairs(vim.lsp.buf_get_clients(bufnr)) do
      client_id = id
    end
    return client_id ~= nil
  end, 10)
  if not client_id then
    error('custody did not attach to the buffer (filetype ' .. tostring(result.filetype) .. ')')
  end
  step('attached')

  -- 1. the use-after-move diagnostic arrives
  local ok = vim.wait(wait_ms, function()
    return exited ~= nil or #vim.diagnostic.get(bufnr) > 0
  end, 10)
  if exited then
    error('server exited: ' .. vim.fn.json_encode(exited))
  end
  if not ok then
    error('no diagnostics within ' .. wait_ms .. ' ms')
  end
  local diags = vim.diagnostic.get(bufnr)
  result.before = {}
  for _, d in ipairs(diags) do
    local raw = lsp_diag(d, result.uri)
    table.insert(result.before, {
      code = d.code or raw.code,
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, source = d.source,
      range = raw.range,
    })
  end
  step('diagnostics received')

  local target = nil
  for _, d in ipairs(diags) do
    if (d.code or lsp_diag(d, result.uri).code) == 'X07-MOVE-0901' then
      target = d
    end
  end
  if not target then
    error('no X07-MOVE-0901 among the diagnostics')
  end

  -- 1b. hover on the moved binding where it is used again
  local hresp = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = result.uri }, position = target_pos(target) }, wait_ms)
  local hreply = hresp and hresp[client_id]
  if hreply and hreply.result and hreply.result.contents then
    local c = hreply.result.contents
    result.hover = type(c) == 'table' and (c.value or vim.inspect(c)) or tostring(c)
  end
  step('hover received')

  -- 2. code actions at the diagnostic, with it in the context
  local raw = lsp_diag(target, result.uri)
  if not raw.range then
    error('the published diagnostic was not recorded')
  end
  local params = {
    textDocument = { uri = result.uri },
    range = raw.range,
    context = { diagnostics = { raw } },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, wait_ms)
  if not responses then
    error('codeAction request failed: ' .. tostring(err))
  end
  local reply = responses[client_id]
  if not reply then
    error('no codeAction reply from custody')
  end
  if reply.err or reply.error then
    error('codeAction error: ' .. vim.inspect(reply.err or reply.error))
  end
  result.actions = {}
  local preferred = nil
  for _, a in ipairs(reply.result or {}) do
    table.insert(result.actions, { title = a.title, kind = a.kind, isPreferred = a.isPreferred == true })
    if a.isPreferred == true and preferred == nil then
      preferred = a
    end
  end
  step('code actions received')
  if not preferred then
    error('no preferred code action')
  end
  if not preferred.edit then
    error('the preferred code action has no edit')
  end
  result.fix_title = preferred.title

  -- 3. apply it: Neovim edits the buffer and sends didChange
  local changedtick = vim.api.nvim_buf_get_changedtick(bufnr)
  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  if vim.api.nvim_buf_get_changedtick(bufnr) == changedtick then
    error('applying the workspace edit did not change the buffer')
  end
  result.text_after = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  step('fix applied')

  -- 4. the server re-analyses the edited text and clears the diagnostic
  ok = vim.wait(wait_ms, function()
    return exited ~= nil or #vim.diagnostic.get(bufnr) == 0
  end, 10)
  if exited then
    error('server exited after the edit: ' .. vim.fn.json_encode(exited))
  end
  result.after = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.after, { code = d.code or lsp_diag(d, result.uri).code, lnum = d.lnum, col = d.col,
                                 message = d.message })
  end
  if not ok then
    error('diagnostics not cleared within ' .. wait_ms .. ' ms')
  end
  step('diagnostics cleared')

  -- 5. shut the server down cleanly
  vim.lsp.stop_client(client_id)
  ok = vim.wait(wait_ms, function() return exited ~= nil end, 10)
  result.server_exit = exited
  step(ok and 'server stopped' or 'server did not stop')
end

local ok, err = pcall(run)
result.ok = ok
if not ok then
  result.error = tostring(err)
end
local wrote, werr = pcall(write_result)
if not wrote then
  io.stderr:write('cannot write result: ' .. tostring(werr) .. '\n')
end
if ok then
  vim.cmd('qa!')
else
  vim.cmd('cquit! 1')
end
