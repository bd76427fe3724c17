using System.Globalization;
using System.Text.Json.Nodes;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace Screening.Workflows.Expressions;

/// <summary>Limits every expression runs under. The defaults keep a hostile script to a few dozen milliseconds.</summary>
public sealed record ExpressionLimits
{
    /// <summary>Wall-clock limit of one evaluation.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Statements one evaluation may run.</summary>
    public int MaxStatements { get; init; } = 100_000;

    /// <summary>Bytes one evaluation may allocate.</summary>
    public long MemoryBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Call depth.</summary>
    public int RecursionDepth { get; init; } = 64;

    /// <summary>Longest expression source accepted.</summary>
    public int MaxSourceLength { get; init; } = 8_192;

    /// <summary>Deepest object or array a result or variable may nest.</summary>
    public int MaxDepth { get; init; } = 32;
}

/// <summary>An expression parsed once (per definition version) and evaluated many times.</summary>
public sealed class PreparedExpression
{
    internal PreparedExpression(string source, Prepared<Script> script)
    {
        Source = source;
        Script = script;
    }

    /// <summary>The JavaScript source.</summary>
    public string Source { get; }

    internal Prepared<Script> Script { get; }
}

/// <summary>An expression failed: it threw, ran too long, used too much memory or returned something unusable.</summary>
public sealed class ExpressionFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Evaluates definition expressions in JavaScript through Jint, sandboxed: no CLR access, no
/// <c>eval</c> or <c>Function</c> from strings, and time, statement, memory and recursion limits on
/// each evaluation. Values cross the boundary as plain JSON, never as CLR objects.
/// </summary>
public static class ExpressionSandbox
{
    /// <summary>Parses an expression (or a short script whose last statement is the result).</summary>
    public static bool TryPrepare(string source, ExpressionLimits limits, out PreparedExpression? expression, out string? error)
    {
        expression = null;
        if (string.IsNullOrWhiteSpace(source))
        {
            error = "The expression is empty.";
            return false;
        }

        if (source.Length > limits.MaxSourceLength)
        {
            error = $"The expression is longer than {limits.MaxSourceLength} characters.";
            return false;
        }

        try
        {
            // Each expression runs in a block of its own, so its let/const declarations do not collide with
            // those of another expression (or of itself, evaluated again) in the same realm.
            var script = Engine.PrepareScript("{\n" + source + "\n}", "expression", strict: true);
            expression = new PreparedExpression(source, script);
            error = null;
            return true;
        }
        catch (ScriptPreparationException ex) when (ex.InnerException is Acornima.ParseErrorException parse)
        {
            error = ParseError(parse, source);
            return false;
        }
        catch (Acornima.ParseErrorException ex)
        {
            error = ParseError(ex, source);
            return false;
        }
        catch (ScriptPreparationException ex)
        {
            error = $"The expression does not parse: {ex.Message}";
            return false;
        }
    }

    private static string ParseError(Acornima.ParseErrorException ex, string source)
    {
        // Line 1 of the prepared script is the opening of the block the expression is wrapped in; an error
        // on the closing line means the expression ended too early.
        var lines = source.Split('\n');
        return ex.LineNumber > lines.Length + 1
            ? $"The expression does not parse: it ends too early (line {lines.Length}, column {lines[^1].Length})."
            : $"The expression does not parse: {ex.Description} (line {Math.Max(1, ex.LineNumber - 1)}, column {ex.Column}).";
    }

    /// <summary>Creates an evaluation session (one JavaScript realm) for one run of an instance.</summary>
    public static ExpressionSession CreateSession(ExpressionLimits limits) => new(limits);
}

/// <summary>
/// One JavaScript realm with the sandbox's limits, reused for the expressions of one run. Variables
/// are copied in as plain JavaScript values; results are copied out as JSON.
/// </summary>
public sealed class ExpressionSession
{
    private readonly Engine _engine;
    private readonly ExpressionLimits _limits;
    private readonly HashSet<string> _globals = [];
    private readonly HashSet<JsValue> _builtIns;
    private JsObject? _vars;

    internal ExpressionSession(ExpressionLimits limits)
    {
        _limits = limits;
        _engine = new Engine(options => options
            .Strict()
            .DisableStringCompilation()
            .TimeoutInterval(limits.Timeout)
            .MaxStatements(limits.MaxStatements)
            .LimitMemory(limits.MemoryBytes)
            .LimitRecursion(limits.RecursionDepth)
            .RegexTimeoutInterval(limits.Timeout)
            .Culture(CultureInfo.InvariantCulture));
        _builtIns = [.. _engine.Global.GetOwnPropertyKeys()];
    }

    /// <summary>Replaces the globals the expressions see: one per variable, plus <c>vars</c> holding them all.</summary>
    public void SetVariables(JsonObject variables)
    {
        Clear();
        _vars = new JsObject(_engine);
        foreach (var (name, value) in variables)
        {
            SetOne(name, value);
        }

        _engine.SetValue("vars", _vars);
    }

    /// <summary>Updates the globals of the variables that changed since <see cref="SetVariables"/>.</summary>
    public void SetChanged(JsonObject variables, IEnumerable<string> names)
    {
        if (_vars is null)
        {
            SetVariables(variables);
            return;
        }

        foreach (var name in names)
        {
            SetOne(name, variables[name]);
        }
    }

    /// <summary>
    /// Removes every global a run left behind (variables, and anything a script declared with <c>var</c>),
    /// so a session can serve another instance of the same definition without carrying data across.
    /// </summary>
    public void Clear()
    {
        foreach (var key in _engine.Global.GetOwnPropertyKeys())
        {
            if (!_builtIns.Contains(key) && !_engine.Global.Delete(key))
            {
                _engine.Global.Set(key, JsValue.Undefined);
            }
        }

        _globals.Clear();
        _vars = null;
    }

    private void SetOne(string name, JsonNode? value)
    {
        var js = ToJs(value, 0);
        _vars!.Set(name, js);
        if (IsIdentifier(name))
        {
            _engine.SetValue(name, js);
            _globals.Add(name);
        }
    }

    /// <summary>Sets one extra global for the next evaluations (for example the row being tested).</summary>
    public void SetGlobal(string name, JsonNode? value) => _engine.SetValue(name, ToJs(value, 0));

    /// <summary>Evaluates a prepared expression and returns its result as JSON.</summary>
    /// <exception cref="ExpressionFailedException">The script threw or broke a limit.</exception>
    public JsonNode? Evaluate(PreparedExpression expression)
    {
        try
        {
            return ToJson(_engine.Evaluate(expression.Script), 0);
        }
        catch (TimeoutException ex)
        {
            throw new ExpressionFailedException($"The expression ran longer than {_limits.Timeout.TotalMilliseconds:0} ms and was stopped.", ex);
        }
        catch (StatementsCountOverflowException ex)
        {
            throw new ExpressionFailedException($"The expression ran more than {_limits.MaxStatements} statements and was stopped.", ex);
        }
        catch (MemoryLimitExceededException ex)
        {
            throw new ExpressionFailedException($"The expression used more than {_limits.MemoryBytes / (1024 * 1024)} MB of memory and was stopped.", ex);
        }
        catch (RecursionDepthOverflowException ex)
        {
            throw new ExpressionFailedException($"The expression recursed deeper than {_limits.RecursionDepth} calls and was stopped.", ex);
        }
        catch (JavaScriptException ex)
        {
            throw new ExpressionFailedException($"The expression threw: {ex.Message}", ex);
        }
        catch (JintException ex)
        {
            throw new ExpressionFailedException($"The expression failed: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or OutOfMemoryException or InsufficientExecutionStackException)
        {
            throw new ExpressionFailedException($"The expression failed: {ex.Message}", ex);
        }
    }

    /// <summary>Evaluates and converts the result to a boolean by JavaScript truthiness.</summary>
    public bool EvaluateBoolean(PreparedExpression expression) => IsTruthy(Evaluate(expression));

    /// <summary>JavaScript truthiness of a JSON value.</summary>
    public static bool IsTruthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        JsonValue v when JsonNumbers.TryGetDouble(v, out var d) => d != 0 && !double.IsNaN(d),
        _ => true,
    };

    private JsValue ToJs(JsonNode? node, int depth)
    {
        if (depth > _limits.MaxDepth)
        {
            throw new ExpressionFailedException($"A variable nests deeper than {_limits.MaxDepth} levels.");
        }

        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonObject obj:
                var o = new JsObject(_engine);
                foreach (var (key, value) in obj)
                {
                    o.Set(key, ToJs(value, depth + 1));
                }

                return o;
            case JsonArray array:
                var items = new JsValue[array.Count];
                for (var i = 0; i < array.Count; i++)
                {
                    items[i] = ToJs(array[i], depth + 1);
                }

                return new JsArray(_engine, items);
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.True => JsBoolean.True,
                    System.Text.Json.JsonValueKind.False => JsBoolean.False,
                    System.Text.Json.JsonValueKind.Number => JsNumber.Create(JsonNumbers.TryGetDouble(value, out var number) ? number : double.NaN),
                    System.Text.Json.JsonValueKind.String => new JsString(value.GetValue<string>()),
                    _ => JsValue.Null,
                };
            default:
                return JsValue.Null;
        }
    }

    private JsonNode? ToJson(JsValue value, int depth)
    {
        if (depth > _limits.MaxDepth)
        {
            throw new ExpressionFailedException($"The expression's result nests deeper than {_limits.MaxDepth} levels (or refers to itself).");
        }

        if (value.IsUndefined() || value.IsNull())
        {
            return null;
        }

        if (value.IsBoolean())
        {
            return JsonValue.Create(value.AsBoolean());
        }

        if (value.IsNumber())
        {
            var number = value.AsNumber();
            if (double.IsNaN(number) || double.IsInfinity(number))
            {
                return null;
            }

            return number == Math.Floor(number) && Math.Abs(number) < 9e15 ? JsonValue.Create((long)number) : JsonValue.Create(number);
        }

        if (value.IsString())
        {
            return JsonValue.Create(value.AsString());
        }

        if (value.IsArray())
        {
            var array = value.AsArray();
            var result = new JsonArray();
            var length = array.Length;
            if (length > 10_000)
            {
                throw new ExpressionFailedException("The expression returned an array of more than 10,000 items.");
            }

            for (uint i = 0; i < length; i++)
            {
                result.Add(ToJson(array.Get(i), depth + 1));
            }

            return result;
        }

        if (value.IsDate())
        {
            return JsonValue.Create(value.AsDate().ToDateTime().ToString("O", CultureInfo.InvariantCulture));
        }

        if (value is ObjectInstance obj && !value.IsCallable())
        {
            var result = new JsonObject();
            foreach (var key in obj.GetOwnPropertyKeys(Types.String))
            {
                var property = obj.Get(key);
                if (!property.IsCallable() && !property.IsUndefined())
                {
                    result[key.ToString()] = ToJson(property, depth + 1);
                }
            }

            return result;
        }

        throw new ExpressionFailedException("The expression returned a function or another value that is not data.");
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '$')
        && name is not ("vars" or "case" or "default" or "class" or "function" or "new" or "delete" or "this" or "var" or "let" or "const");
}
