-- custody's Neovim module and one of custody's languages (Kea, Janus): the filetype, the buffer
-- options, the client attached, didOpen sent with the languageId, and custody's diagnostic for a
-- use after move in that language.
-- Run by tests/editors/test_neovim_languages.py as
--   nvim --headless --clean -n -i NONE -u NONE -c 'luafile tests/editors/nvim_language.lua'
-- with the environment variables of nvim_common.lua and these:
--   CUSTODY_NVIM_TAP      tests/editors/lsp_tap.py (copies what Neovim sends into a log)
--   CUSTODY_NVIM_TAP_LOG  that log
--   CUSTODY_NVIM_FILES    the language's file first
--   CUSTODY_NVIM_DIAG     '1': wait for a custody diagnostic whose code starts with
--                         CUSTODY_NVIM_CODE_PREFIX (e.g. 'KEA-') in the first file
-- Whatever happens, a result file is written and Neovim exits (status 1 on failure).

local common = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/nvim_common.lua')
local result = common.result
local tap_log = common.env('CUSTODY_NVIM_TAP_LOG')
local code_prefix = os.getenv('CUSTODY_NVIM_CODE_PREFIX') or ''

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

common.main(function()
  local custody = common.custody()
  result.filetypes = custody.config({ root_dir = '/' }).filetypes

  custody.setup({
    cmd = common.lsp_cmd(common.python, common.env('CUSTODY_NVIM_TAP'), tap_log, '--'),
    handlers = common.handlers,
  })
  common.step('setup')

  local bufs, files = common.open_files()
  local first = bufs[1].bufnr

  -- buf_get_clients lists a client only once it is initialized
  local attached = vim.wait(common.wait_ms, function()
    return #vim.lsp.buf_get_clients(first) > 0
  end, 20)
  if not attached then
    error('custody did not attach to ' .. files[1] .. ' within ' .. common.wait_ms .. ' ms')
  end
  -- didOpen for every file (the tap writes what reached the server)
  local opened = vim.wait(common.wait_ms, function()
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
      clients = common.client_names(b.bufnr),
    })
  end
  result.sent = sent()
  if not opened then
    error('the server did not receive a didOpen for each file within ' .. common.wait_ms .. ' ms')
  end
  common.step('didOpen')

  if common.want_diag then
    common.await_diagnostic(first, code_prefix)
  end
  common.stop_clients()
end)
