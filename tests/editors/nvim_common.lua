-- What the Neovim scripts of tests/editors (nvim_language.lua, nvim_c.lua) share: the result file,
-- custody's module on the runtimepath, opening the files, the clients of a buffer, waiting for a
-- diagnostic, stopping the clients, and the run that always writes a result and quits.
-- A script loads it with
--   local common = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/nvim_common.lua')
-- Environment variables read here (set by tests/editors/conftest.py's run_nvim):
--   CUSTODY_NVIM_PLUGIN   editors/neovim
--   CUSTODY_NVIM_PYTHON   the Python that runs `custody lsp`
--   CUSTODY_NVIM_FILES    the files to open, separated by ':'
--   CUSTODY_NVIM_DIAG     '1': the script waits for a diagnostic of custody's
--   CUSTODY_NVIM_RESULT   where to write the JSON result
--   CUSTODY_NVIM_WAIT_MS  how long each wait may take (default 30000)

local M = {}

-- the value of the environment variable `name`; an error when it is not set
function M.env(name)
  return assert(os.getenv(name), name .. ' not set')
end

M.python = M.env('CUSTODY_NVIM_PYTHON')
M.wait_ms = tonumber(os.getenv('CUSTODY_NVIM_WAIT_MS') or '') or 30000
M.want_diag = os.getenv('CUSTODY_NVIM_DIAG') == '1'
-- the command line that runs `custody lsp` with CUSTODY_NVIM_PYTHON, after the words given
-- (a wrapper such as the tap)
function M.lsp_cmd(...)
  return vim.list_extend({ ... }, { M.python, '-c', "import sys; from custody.cli import main; sys.exit(main(['lsp']))" })
end

-- what the script found, written to CUSTODY_NVIM_RESULT at the end whatever happens
M.result = { steps = {}, buffers = {}, server_log = {} }

function M.step(name)
  table.insert(M.result.steps, name)
end

-- custody's Neovim module (editors/neovim) on the runtimepath; records Neovim's version
function M.custody()
  M.result.nvim_version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  vim.opt.runtimepath:append(M.env('CUSTODY_NVIM_PLUGIN'))
  return require('custody')
end

-- custody's handlers: the server's window/logMessage lines go into result.server_log
M.handlers = {
  ['window/logMessage'] = function(_, params)
    table.insert(M.result.server_log, params.message)
  end,
}

-- edits each file of CUSTODY_NVIM_FILES in turn -> { {file=, bufnr=}, ... }, the files
function M.open_files()
  local files = vim.split(M.env('CUSTODY_NVIM_FILES'), ':', { plain = true })
  local bufs = {}
  for _, file in ipairs(files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    table.insert(bufs, { file = file, bufnr = vim.api.nvim_get_current_buf() })
  end
  M.step('opened')
  return bufs, files
end

-- the names of the clients attached to a buffer, sorted
function M.client_names(bufnr)
  local names = {}
  for _, client in pairs(vim.lsp.buf_get_clients(bufnr)) do
    table.insert(names, client.name)
  end
  table.sort(names)
  return names
end

-- waits for a diagnostic of custody's whose code starts with `prefix` in buffer `bufnr`; records
-- the buffer's diagnostics in result.diagnostics; an error when none came within wait_ms
function M.await_diagnostic(bufnr, prefix)
  local found = vim.wait(M.wait_ms, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.source == 'custody' and type(d.code) == 'string' and vim.startswith(d.code, prefix) then
        return true
      end
    end
    return false
  end, 20)
  M.result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(M.result.diagnostics, { source = d.source, code = d.code, lnum = d.lnum, col = d.col, message = d.message })
  end
  if not found then
    error('no ' .. prefix .. ' diagnostic from custody within ' .. M.wait_ms .. ' ms')
  end
  M.step('diagnostic')
end

-- stops every client and waits until they are gone
function M.stop_clients()
  for _, client in pairs(vim.lsp.get_active_clients()) do
    client.stop()
  end
  vim.wait(M.wait_ms, function()
    return #vim.lsp.get_active_clients() == 0
  end, 20)
  M.step('stopped')
end

-- runs `fn`, writes the result (ok, or the error) and quits Neovim (status 1 on failure)
function M.main(fn)
  local ok, err = pcall(fn)
  M.result.ok = ok
  if not ok then
    M.result.error = tostring(err)
  end
  local f = assert(io.open(M.env('CUSTODY_NVIM_RESULT'), 'w'))
  f:write(vim.fn.json_encode(M.result))
  f:close()
  vim.cmd(ok and 'qall!' or 'cquit!')
end

return M
