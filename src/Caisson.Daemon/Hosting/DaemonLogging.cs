using Caisson.Core.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Caisson.Daemon.Hosting;

/// <summary>Structured console logs: one line per event (text) or one JSON object per line (json).</summary>
internal static class DaemonLogging
{
    public static ILoggingBuilder AddDaemonConsole(this ILoggingBuilder logging, LogSection section)
    {
        logging.SetMinimumLevel(section.Level switch
        {
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" => LogLevel.Warning,
            "error" => LogLevel.Error,
            _ => LogLevel.Information,
        });

        // Framework chatter stays at warning unless we debug.
        if (section.Level is not ("trace" or "debug"))
        {
            logging.AddFilter("Microsoft", LogLevel.Warning);
            logging.AddFilter("Grpc", LogLevel.Warning);
            logging.AddFilter("System.Net.Http", LogLevel.Warning);
        }

        if (section.Format == "json")
        {
            logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        return logging;
    }
}
