namespace ShapingCluster.Actors.Configuration;

/// <summary>Finds unbalanced braces and brackets in HOCON text, outside strings and comments.</summary>
internal static class HoconNesting
{
    public static string? FindProblem(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        int line = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') { line++; continue; }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n') i++;
                continue;
            }
            if (c == '"')
            {
                bool triple = i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"';
                string end = triple ? "\"\"\"" : "\"";
                int close = text.IndexOf(end, i + end.Length, StringComparison.Ordinal);
                while (!triple && close > 0 && text[close - 1] == '\\') close = text.IndexOf('"', close + 1);
                if (close < 0) return $"line {line}: unterminated string";
                line += text.AsSpan(i, close - i).Count('\n');
                i = close + end.Length - 1;
                continue;
            }
            if (c is '{' or '[') open.Push((c, line));
            else if (c is '}' or ']')
            {
                char expected = c == '}' ? '{' : '[';
                if (open.Count == 0) return $"line {line}: '{c}' closes nothing";
                var (bracket, at) = open.Pop();
                if (bracket != expected) return $"line {line}: '{c}' does not match '{bracket}' opened on line {at}";
            }
        }
        return open.Count == 0 ? null : $"'{open.Peek().Bracket}' opened on line {open.Peek().Line} is never closed";
    }
}
