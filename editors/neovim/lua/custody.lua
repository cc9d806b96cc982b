-- custody for Neovim's built-in LSP client (Neovim >= 0.7; no plugins needed).
--
--   require('custody').setup()                          -- `custody lsp` from PATH
--   require('custody').setup({ cmd = { '/path/to/.venv/bin/custody', 'lsp' },
--                              settings = { stdlibRoot = '/opt/x07/stdlib' } })
--   require('custody').setup({ c = { enable = true } })   -- also C buffers (AgeRun's conventions)
--
-- setup() makes *.x07t buffers filetype `x07text`, *.x07.json buffers `x07json`, *.kea buffers
-- `kea` (Kea) and *.jan buffers `janus` (Janus; vim.filetype.add where Neovim has it, and an
-- autocommand for 0.7, whose filetype.lua is off by default), gives `kea` buffers `--` comments
-- ('commentstring') and spaces for tabs (Kea refuses tabs in indentation) and `janus` buffers
-- `//` comments, and starts (or reuses) one custody client per project root for each such buffer:
-- with vim.lsp.start on Neovim >= 0.8, with vim.lsp.start_client + buf_attach_client on 0.7.
-- config() returns the client configuration alone, for nvim-lspconfig or your own autocommands
-- (see editors/neovim/README.md).
--
-- With `c = { enable = true }` custody also attaches to buffers of filetype `c` (Neovim gives
-- *.c files `c`, and *.h files `c` or `cpp` by g:c_syntax_for_h; custody takes a `cpp` buffer
-- only when its name ends in .h). It attaches next to clangd or any other C client: nothing
-- else is changed for C (no filetype, syntax or other client is touched).
local M = {}

M.filetypes = { 'x07text', 'x07json', 'kea', 'janus' }
M.c_filetypes = { 'c' }
M.root_markers = { 'x07.json', 'kea.toml', 'janus.kdl', '.git' }

-- the filetypes custody attaches to with these options (X07's, Kea's and Janus's; C's too with c.enable)
function M.filetypes_for(opts)
  local fts = vim.deepcopy(M.filetypes)
  if opts and opts.c and opts.c.enable then
    vim.list_extend(fts, M.c_filetypes)
  end
  return fts
end

-- is buffer `bufnr` (of filetype `ft`) one custody attaches to with these options?
local function wanted(bufnr, ft, opts)
  if vim.tbl_contains(M.filetypes_for(opts), ft) then
    return true
  end
  -- a header Neovim made `cpp` (g:c_syntax_for_h unset): custody's C front-end decides by name
  return opts ~= nil and opts.c ~= nil and opts.c.enable == true and ft == 'cpp'
    and vim.api.nvim_buf_get_name(bufnr):match('%.h$') ~= nil
end
M.wanted = wanted

local function dirname(path)
  return vim.fn.fnamemodify(path, ':p:h')
end

-- the nearest directory above `fname` holding x07.json, kea.toml (a Kea package), janus.kdl (a
-- Janus project) or .git; else the file's own directory
function M.root_dir(fname)
  local dir = dirname(fname ~= '' and fname or vim.fn.getcwd() .. '/x')
  local found = vim.fs and vim.fs.find and vim.fs.find(M.root_markers, { path = dir, upward = true })[1]
  if not found then
    for _, marker in ipairs(M.root_markers) do
      local hit = vim.fn.findfile(marker, dir .. ';')
      if hit == '' then
        hit = vim.fn.finddir(marker, dir .. ';')
      end
      if hit ~= '' then
        found = vim.fn.fnamemodify(hit, ':p')
        break
      end
    end
  end
  return found and dirname(found:gsub('/$', '')) or dir
end

-- the client configuration: valid for vim.lsp.start, vim.lsp.start_client and as lspconfig's
-- default_config. opts: cmd, settings (custody's settings table, see the README), root_dir,
-- handlers, flags, on_exit, capabilities, c = { enable = true } (adds the `c` filetype).
function M.config(opts)
  opts = opts or {}
  local settings = opts.settings or {}
  return {
    name = 'custody',
    cmd = opts.cmd or { 'custody', 'lsp' },
    filetypes = M.filetypes_for(opts),
    root_dir = opts.root_dir or M.root_dir(vim.api.nvim_buf_get_name(0)),
    init_options = settings,                 -- read at initialize
    settings = { custody = settings },       -- sent on workspace/didChangeConfiguration
    handlers = opts.handlers,
    flags = opts.flags,
    on_exit = opts.on_exit,
    capabilities = opts.capabilities,
  }
end

local clients = {}                           -- root_dir -> client id (Neovim 0.7 path)

-- attach custody to buffer `bufnr`; returns the client id
function M.start(bufnr, opts)
  local o = vim.tbl_extend('force', {}, opts or {})
  o.root_dir = o.root_dir or M.root_dir(vim.api.nvim_buf_get_name(bufnr))
  local cfg = M.config(o)
  if vim.lsp.start then
    return vim.lsp.start(cfg, { bufnr = bufnr })
  end
  local id = clients[cfg.root_dir]
  -- not client_is_stopped: on 0.7 it is true until the server answered initialize, so buffers
  -- opened meanwhile (a .c and its .h) would each start a server of their own
  local running = id and vim.lsp.get_client_by_id(id)
  if not running or running.is_stopped() then
    id = vim.lsp.start_client(cfg)
    if not id then
      vim.notify('custody: could not start `' .. table.concat(cfg.cmd, ' ')
        .. '`; install custody (pip install -e . in its checkout) or pass cmd to setup()',
        vim.log.levels.ERROR)
      return nil
    end
    clients[cfg.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- Kea buffers: `--` line comments, and spaces for tabs (a tab in Kea's indentation is an error)
local function kea_buffer(bufnr)
  vim.bo[bufnr].commentstring = '-- %s'
  vim.bo[bufnr].expandtab = true
end
M.kea_buffer = kea_buffer

-- Janus buffers: `//` line comments (Janus also has /* */; blocks are do … end or { … })
local function janus_buffer(bufnr)
  vim.bo[bufnr].commentstring = '// %s'
end
M.janus_buffer = janus_buffer

function M.setup(opts)
  local group = vim.api.nvim_create_augroup('custody', { clear = true })
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({ extension = { kea = 'kea', jan = 'janus' } })
  end
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group, pattern = '*.x07t', command = 'setfiletype x07text' })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group, pattern = '*.x07.json', command = 'set filetype=x07json' })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group, pattern = '*.kea', command = 'setfiletype kea' })
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    group = group, pattern = '*.jan', command = 'setfiletype janus' })
  vim.api.nvim_create_autocmd('FileType', {
    group = group, pattern = 'kea',
    callback = function(args)
      kea_buffer(args.buf)
    end,
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group, pattern = 'janus',
    callback = function(args)
      janus_buffer(args.buf)
    end,
  })
  local patterns = M.filetypes_for(opts)
  if opts and opts.c and opts.c.enable then
    table.insert(patterns, 'cpp')            -- only .h buffers of it, see wanted()
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group, pattern = patterns,
    callback = function(args)
      if wanted(args.buf, args.match, opts) then
        M.start(args.buf, opts)
      end
    end,
  })
end

return M
