-- custody's Neovim module with and without `c = { enable = true }` (issue 12), next to a C client.
-- Run by tests/editors/test_neovim_c.py as
--   nvim --headless --clean -n -i NONE -u NONE -c 'luafile tests/editors/nvim_c.lua'
-- with the environment variables of nvim_common.lua and these:
--   CUSTODY_NVIM_PYTHON   also runs the fake clangd
--   CUSTODY_NVIM_CLANGD   tests/editors/fake_clangd.py (stands in for clangd)
--   CUSTODY_NVIM_C        '1': setup({ c = { enable = true } }); else setup() without it
--   CUSTODY_NVIM_FILES    a .c, a .h, a .x07t
--   CUSTODY_NVIM_DIAG     '1': wait for custody's MMM- diagnostic in the first file
-- Whatever happens, a result file is written and Neovim exits (status 1 on failure).

local common = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/nvim_common.lua')
local result = common.result
local c_on = os.getenv('CUSTODY_NVIM_C') == '1'

common.main(function()
  local custody = common.custody()
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
          cmd = { common.python, common.env('CUSTODY_NVIM_CLANGD') },
          root_dir = vim.fn.getcwd(),
        })
      end
      vim.lsp.buf_attach_client(args.buf, clangd_id)
    end,
  })

  local opts = { cmd = common.lsp_cmd(), handlers = common.handlers }
  if c_on then
    opts.c = { enable = true }
  end
  custody.setup(opts)
  common.step('setup')

  local bufs = common.open_files()
  local first = bufs[1].bufnr
  -- buf_get_clients lists a client only once it is initialized: wait for both (custody is started
  -- by the .x07t buffer whatever the option; one client per root, the files share one root)
  local both = vim.wait(common.wait_ms, function()
    return #vim.lsp.get_active_clients() >= 2
  end, 20)
  if not both then
    error('custody and clangd did not both initialize within ' .. common.wait_ms .. ' ms')
  end
  for _, b in ipairs(bufs) do
    table.insert(result.buffers, {
      name = vim.fn.fnamemodify(b.file, ':t'),
      filetype = vim.bo[b.bufnr].filetype,
      clients = common.client_names(b.bufnr),
    })
  end
  common.step('initialized')

  if common.want_diag then
    vim.cmd('buffer ' .. first)
    common.await_diagnostic(first, 'MMM-')
  end
  common.stop_clients()
end)
