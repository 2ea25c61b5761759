using Unitization.DataManager.Cli;

return CommunitiesCommand.CreateRoot().Parse(args).Invoke();
