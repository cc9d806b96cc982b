-- custody's Neovim module and one of custody's languages (Kea, Janus): the filetype, the buffer
-- options, the client attached, didOpen sent with the languageId, and custody's diagnostic for a
-- use after move in that language.
-- Run by tests/editors/test_neovim_languages.py as
--   nvim --headless --clean -n -i NONE -u NONE -c 'luafile tests/editors/nvim_language.lua'
-- with these environment variables:
--   CUSTODY_NVIM_PLUGIN   editors/neovim
--   CUSTODY_NVIM_PYTHON   the Python that runs `custody lsp` (through the tap)
--   CUSTODY_NVIM_TAP      tests/editors/lsp_tap.py (copies what Neovim sends into a log)
--   CUSTODY_NVIM_TAP_LOG  that log
--   CUSTODY_NVIM_FILES    the files to open, separated by ':' (the language's file first)
--   CUSTODY_NVIM_DIAG     '1': wait for a custody diagnostic whose code starts with
--                         CUSTODY_NVIM_CODE_PREFIX (e.g. 'KEA-') in the first file
--   CUSTODY_NVIM_RESULT   where to write the JSON result
--   CUSTODY_NVIM_WAIT_MS  how long each wait may take (default 30000)
-- Whatever happens, a result file is written and Neovim exits (status 1 on failure).

local python = assert(os.getenv('CUSTODY_NVIM_PYTHON'), 'CUSTODY_NVIM_PYTHON not set')
local result_path = assert(os.getenv('CUSTODY_NVIM_RESULT'), 'CUSTODY_NVIM_RESULT not set')
local tap_log = assert(os.getenv('CUSTODY_NVIM_TAP_LOG'), 'CUSTODY_NVIM_TAP_LOG not set')
local wait_ms = tonumber(os.getenv('CUSTODY_NVIM_WAIT_MS') or '') or 30000
local code_prefix = os.getenv('CUSTODY_NVIM_CODE_PREFIX') or ''

local result = { steps = {}, buffers = {}, server_log = {} }

local function write_result()
  local f = assert(io.open(result_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function client_names(bufnr)
  local names = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(names, client.name)
  end
  table.sort(names)
  return names
end

-- the methods (and, for didOpen, languageId and uri) of what Neovim sent, from the tap's log
local function sent()
  local out = {}
  local f = io.open(tap_log, 'r')
  if not f then
    return out
  end
  for line in f:lines() do
    local ok, msg = pcall(vim.fn.json_decode, line)
    if ok and type(msg) == 'table' and msg.method then
      local item = { method = msg.method }
      if msg.method == 'textDocument/didOpen' then
        item.uri = msg.params.textDocument.uri
        item.languageId = msg.params.textDocument.languageId
      end
      table.insert(out, item)
    end
  end
  f:close()
  return out
end

local function run()
  result.nvim_version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  vim.opt.runtimepath:append(assert(os.getenv('CUSTODY_NVIM_PLUGIN'), 'CUSTODY_NVIM_PLUGIN not set'))
  local custody = require('custody')
  result.filetypes = custody.config({ root_dir = '/' }).filetypes

  custody.setup({
    cmd = { python, assert(os.getenv('CUSTODY_NVIM_TAP'), 'CUSTODY_NVIM_TAP not set'), tap_log, '--',
      python, '-c', "import sys; from custody.cli import main; sys.exit(main(['lsp']))" },
    handlers = {
      ['window/logMessage'] = function(_, params)
        table.insert(result.server_log, params.message)
      end,
    },
  })
  table.insert(result.steps, 'setup')

  local files = vim.split(assert(os.getenv('CUSTODY_NVIM_FILES'), 'CUSTODY_NVIM_FILES not set'), ':', { plain = true })
  local bufs = {}
  for _, file in ipairs(files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    table.insert(bufs, { file = file, bufnr = vim.api.nvim_get_current_buf() })
  end
  local first = bufs[1].bufnr
  table.insert(result.steps, 'opened')

  -- buf_get_clients lists a client only once it is initialized
  local attached = vim.wait(wait_ms, function()
    return #vim.lsp.buf_get_clients(first) > 0
  end, 20)
  if not attached then
    error('custody did not attach to ' .. files[1] .. ' within ' .. wait_ms .. ' ms')
  end
  -- didOpen for every file (the tap writes what reached the server)
  local opened = vim.wait(wait_ms, function()
    local n = 0
    for _, m in ipairs(sent()) do
      if m.method == 'textDocument/didOpen' then
        n = n + 1
      end
    end
    return n >= #files
  end, 20)
  for _, b in ipairs(bufs) do
    table.insert(result.buffers, {
      name = vim.fn.fnamemodify(b.file, ':t'),
      uri = vim.uri_from_bufnr(b.bufnr),
      filetype = vim.bo[b.bufnr].filetype,
      commentstring = vim.bo[b.bufnr].commentstring,
      expandtab = vim.bo[b.bufnr].expandtab,
      clients = client_names(b.bufnr),
    })
  end
  result.sent = sent()
  if not opened then
    error('the server did not receive a didOpen for each file within ' .. wait_ms .. ' ms')
  end
  table.insert(result.steps, 'didOpen')

  if os.getenv('CUSTODY_NVIM_DIAG') == '1' then
    local found = vim.wait(wait_ms, function()
      for _, d in ipairs(vim.diagnostic.get(first)) do
        if d.source == 'custody' and type(d.code) == 'string' and vim.startswith(d.code, code_prefix) then
          return true
        end
      end
      return false
    end, 20)
    result.diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(first)) do
      table.insert(result.diagnostics, { source = d.source, code = d.code, lnum = d.lnum, col = d.col, message = d.message })
    end
    if not found then
      error('no ' .. code_prefix .. ' diagnostic from custody within ' .. wait_ms .. ' ms')
    end
    table.insert(result.steps, 'diagnostic')
  end

  for _, client in pairs(vim.lsp.get_active_clients()) do
    client.stop()
  end
  vim.wait(wait_ms, function()
    return #vim.lsp.get_active_clients() == 0
  end, 20)
  table.insert(result.steps, 'stopped')
  result.ok = true
end

local ok, err = pcall(run)
if not ok then
  result.ok = false
  result.error = tostring(err)
end
write_result()
vim.cmd(result.ok and 'qall!' or 'cquit!')
