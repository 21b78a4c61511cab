using System.Text;
using Caisson.Cli.Arguments;
using Caisson.Cli.Commands;

namespace Caisson.Cli;

/// <summary>Writes the top-level help and each verb's help: usage, what it does, its flags with defaults, examples.</summary>
internal static class HelpWriter
{
    private const int WrapWidth = 80;

    public static void WriteOverview(TextWriter writer)
    {
        writer.WriteLine("Usage: caisson [--address PATH] COMMAND [OPTIONS] [ARGS...]");
        writer.WriteLine();
        WriteWrapped(writer, "caisson talks to caissond, the Caisson container runtime daemon, over its unix socket. "
            + "It runs containers the way docker does (run, ps, logs, exec, stop, rm), each in a pod of its own, and "
            + "lists every pod and container the daemon runs, a kubelet's included; it pulls, lists, tags, removes, "
            + "imports and exports the images the daemon stores, and shows how the daemon is set up.");
        writer.WriteLine();
        writer.WriteLine("Commands:");
        var width = CommandCatalog.All.Max(c => c.Name.Length) + 3;
        foreach (var command in CommandCatalog.All)
            writer.WriteLine($"  {command.Name.PadRight(width)}{command.Summary}");
        writer.WriteLine($"  {"help".PadRight(width)}Show help for a command");
        writer.WriteLine();
        WriteFlags(writer, "Global options:", CliApp.GlobalFlags);
        writer.WriteLine();
        writer.WriteLine("Run 'caisson help COMMAND' or 'caisson COMMAND --help' for a command's options and examples.");
    }

    public static void WriteCommand(TextWriter writer, CommandSpec command)
    {
        writer.WriteLine($"Usage: {command.Usage}");
        writer.WriteLine();
        WriteWrapped(writer, command.Description);
        writer.WriteLine();
        if (command.Flags.Count > 0)
        {
            WriteFlags(writer, "Options:", command.Flags);
            writer.WriteLine();
        }
        WriteFlags(writer, "Global options:", CliApp.GlobalFlags);
        if (command.Examples.Count == 0)
            return;
        writer.WriteLine();
        writer.WriteLine("Examples:");
        for (var i = 0; i < command.Examples.Count; i++)
        {
            var example = command.Examples[i];
            if (i > 0) writer.WriteLine();
            writer.WriteLine($"  # {example.Explanation}");
            writer.WriteLine($"  {example.CommandLine}");
        }
    }

    private static void WriteFlags(TextWriter writer, string heading, IReadOnlyList<FlagSpec> flags)
    {
        writer.WriteLine(heading);
        var names = flags.Select(FlagColumn).ToList();
        var width = names.Max(n => n.Length) + 3;
        for (var i = 0; i < flags.Count; i++)
        {
            var text = flags[i].Default is { } d ? $"{flags[i].Description} (default: {d})" : flags[i].Description;
            writer.WriteLine($"  {names[i].PadRight(width)}{text}");
        }
    }

    // Long-only flags are indented past where "-x, " would be so the long names line up.
    private static string FlagColumn(FlagSpec flag) =>
        (flag.Short is null ? "    " : "") + flag.DisplayName + (flag.ValueName is { } v ? " " + v : "");

    private static void WriteWrapped(TextWriter writer, string text)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > WrapWidth)
            {
                writer.WriteLine(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0)
            writer.WriteLine(line.ToString());
    }
}
