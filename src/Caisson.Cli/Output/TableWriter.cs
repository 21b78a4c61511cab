using System.Text;

namespace Caisson.Cli.Output;

/// <summary>
/// Docker-style table: upper-case headers, columns as wide as their widest cell, left aligned, three spaces between
/// columns, no trailing spaces.
/// </summary>
internal sealed class TableWriter
{
    private const string Gutter = "   ";
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TableWriter(params string[] headers) => _headers = headers;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
            throw new ArgumentException($"row has {cells.Length} cells, table has {_headers.Length} columns", nameof(cells));
        _rows.Add(cells);
    }

    public void WriteTo(TextWriter writer)
    {
        var widths = new int[_headers.Length];
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var c = 0; c < row.Length; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }
        var line = new StringBuilder();
        foreach (var row in _rows.Prepend(_headers))
        {
            line.Clear();
            for (var c = 0; c < row.Length; c++)
            {
                if (c > 0) line.Append(Gutter);
                line.Append(row[c]);
                if (c < row.Length - 1) line.Append(' ', widths[c] - row[c].Length);
            }
            writer.WriteLine(line.ToString().TrimEnd());
        }
    }
}
