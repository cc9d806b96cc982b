-- custody's Neovim module with and without `c = { enable = true }` (issue 12), next to a C client.
-- Run by tests/editors/test_neovim_c.py as
--   nvim --headless --clean -n -i NONE -u NONE -c 'luafile tests/editors/nvim_c.lua'
-- with these environment variables:
--   CUSTODY_NVIM_PLUGIN   editors/neovim
--   CUSTODY_NVIM_PYTHON   the Python that runs `custody lsp` and the fake clangd
--   CUSTODY_NVIM_CLANGD   tests/editors/fake_clangd.py (stands in for clangd)
--   CUSTODY_NVIM_C        '1': setup({ c = { enable = true } }); else setup() without it
--   CUSTODY_NVIM_FILES    the files to open, separated by ':' (a .c, a .h, a .x07t)
--   CUSTODY_NVIM_DIAG     '1': wait for custody's MMM- diagnostic in the first file
--   CUSTODY_NVIM_RESULT   where to write the JSON result
--   CUSTODY_NVIM_WAIT_MS  how long each wait may take (default 30000)
-- Whatever happens, a result file is written and Neovim exits (status 1 on failure).

local python = assert(os.getenv('CUSTODY_NVIM_PYTHON'), 'CUSTODY_NVIM_PYTHON not set')
local result_path = assert(os.getenv('CUSTODY_NVIM_RESULT'), 'CUSTODY_NVIM_RESULT not set')
local wait_ms = tonumber(os.getenv('CUSTODY_NVIM_WAIT_MS') or '') or 30000
local c_on = os.getenv('CUSTODY_NVIM_C') == '1'

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

local function run()
  result.nvim_version = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor)
  vim.opt.runtimepath:append(assert(os.getenv('CUSTODY_NVIM_PLUGIN'), 'CUSTODY_NVIM_PLUGIN not set'))
  local custody = require('custody')
  result.filetypes_off = custody.config({ root_dir = '/' }).filetypes
  result.filetypes_on = custody.config({ root_dir = '/', c = { enable = true } }).filetypes

  -- the user's C client (clangd): attached by the user's own autocommand, as lspconfig would
  local clangd_id = nil
  vim.api.nvim_create_autocmd('FileType', {
    pattern = { 'c', 'cpp' },
    callback = function(args)
      if not clangd_id then                  -- one clangd (0.7's client_is_stopped is true until initialized)
        clangd_id = vim.lsp.start_client({
          name = 'clangd',
          cmd = { python, assert(os.getenv('CUSTODY_NVIM_CLANGD'), 'CUSTODY_NVIM_CLANGD not set') },
          root_dir = vim.fn.getcwd(),
        })
      end
      vim.lsp.buf_attach_client(args.buf, clangd_id)
    end,
  })

  local opts = {
    cmd = { python, '-c', "import sys; from custody.cli import main; sys.exit(main(['lsp']))" },
    handlers = {
      ['window/logMessage'] = function(_, params)
        table.insert(result.server_log, params.message)
      end,
    },
  }
  if c_on then
    opts.c = { enable = true }
  end
  custody.setup(opts)
  table.insert(result.steps, 'setup')

  local files = vim.split(assert(os.getenv('CUSTODY_NVIM_FILES'), 'CUSTODY_NVIM_FILES not set'), ':', { plain = true })
  local bufs = {}
  for _, file in ipairs(files) do
    vim.cmd('edit ' .. vim.fn.fnameescape(file))
    table.insert(bufs, { file = file, bufnr = vim.api.nvim_get_current_buf() })
  end
  local first = bufs[1].bufnr
  table.insert(result.steps, 'opened')
  -- buf_get_clients lists a client only once it is initialized: wait for both (custody is started
  -- by the .x07t buffer whatever the option; one client per root, the files share one root)
  local both = vim.wait(wait_ms, function()
    return #vim.lsp.get_active_clients() >= 2
  end, 20)
  if not both then
    error('custody and clangd did not both initialize within ' .. wait_ms .. ' ms')
  end
  for _, b in ipairs(bufs) do
    table.insert(result.buffers, {
      name = vim.fn.fnamemodify(b.file, ':t'),
      filetype = vim.bo[b.bufnr].filetype,
      clients = client_names(b.bufnr),
    })
  end
  table.insert(result.steps, 'initialized')

  if os.getenv('CUSTODY_NVIM_DIAG') == '1' then
    vim.cmd('buffer ' .. first)
    local found = vim.wait(wait_ms, function()
      for _, d in ipairs(vim.diagnostic.get(first)) do
        if d.source == 'custody' and type(d.code) == 'string' and d.code:match('^MMM%-') then
          return true
        end
      end
      return false
    end, 20)
    result.diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(first)) do
      table.insert(result.diagnostics, { source = d.source, code = d.code, lnum = d.lnum, message = d.message })
    end
    if not found then
      error('no MMM- diagnostic from custody within ' .. wait_ms .. ' ms')
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
