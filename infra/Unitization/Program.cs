using Unitization.Host.Cli;

return await UnitizationCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
