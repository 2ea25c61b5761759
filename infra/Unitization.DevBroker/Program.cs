using System.CommandLine;
using Unitization.DevBroker;

var root = new RootCommand("The dev Kafka broker: librdkafka's mock cluster on loopback, for the local stack and the tests.")
{
    ServeCommand.Create(),
    ProduceCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
