using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Unitization.Host.Security;

/// <summary>
/// The console logger with every message, field and exception text passed through <see cref="SecretRedactor"/>
/// before it is written: a secret in an exception message (a connection string, a URL with a password) never reaches
/// the log.
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner, SecretRedactor redactor) : ILoggerProvider
{
    /// <summary>Replaces the console provider registered on <paramref name="logging"/> with a redacting one.</summary>
    public static void Decorate(ILoggingBuilder logging, SecretRedactor redactor)
    {
        var services = logging.Services;
        var console = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        if (console is null)
        {
            return;
        }

        services.Remove(console);
        services.TryAddSingleton<ConsoleLoggerProvider>();
        services.AddSingleton<ILoggerProvider>(sp => new RedactingLoggerProvider(sp.GetRequiredService<ConsoleLoggerProvider>(), redactor));
    }

    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner, SecretRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = redactor.Redact(formatter(state, exception));
            // the fields the JSON format writes beside the message, masked alike (the template itself is constant)
            List<KeyValuePair<string, object?>> fields = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value is string or Exception or Uri ? redactor.Redact(p.Value.ToString()!) : p.Value)).ToList()
                : [new KeyValuePair<string, object?>("{OriginalFormat}", message)];
            var shown = exception is null ? null : new RedactedException(exception, redactor);
            inner.Log(logLevel, eventId, (IReadOnlyList<KeyValuePair<string, object?>>)fields, shown, (_, _) => message);
        }
    }

    /// <summary>An exception as text with the secrets masked (what the console formatters print of it).</summary>
#pragma warning disable CA1032, CA1064 // a private wrapper only ever rendered by a log formatter
    private sealed class RedactedException(Exception inner, SecretRedactor redactor) : Exception(redactor.Redact(inner.Message))
#pragma warning restore CA1032, CA1064
    {
        private readonly string _text = redactor.Redact(inner.ToString());

        public override string ToString() => _text;
    }
}
