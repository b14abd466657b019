namespace NeuroData.Infrastructure.Search.Index;

/// <summary>
/// The Porter stemming algorithm (M.F. Porter, "An algorithm for suffix stripping", 1980), as in the author's reference
/// implementation, which is also what SQLite's FTS5 <c>porter</c> tokenizer applies: <c>caresses → caress</c>,
/// <c>ponies → poni</c>, <c>relational → relat</c>, <c>sensors → sensor</c>. Input is one lower-case word; words of
/// fewer than three characters and words holding anything but the letters a–z are returned unchanged.
/// </summary>
public static class PorterStemmer
{
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length < 3)
        {
            return word;
        }

        foreach (var c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return word;
            }
        }

        var s = new Stemmer(word);
        s.Step1ab();
        if (s.K > 0)
        {
            s.Step1c();
            s.Step2();
            s.Step3();
            s.Step4();
            s.Step5();
        }

        return s.Result;
    }

    /// <summary>The reference implementation's state: the word in <c>b[0..k]</c>, <c>j</c> the end of the stem tested.</summary>
    private sealed class Stemmer(string word)
    {
        private readonly char[] _b = word.ToCharArray();
        private int _k = word.Length - 1;
        private int _j;

        public int K => _k;

        public string Result => new(_b, 0, _k + 1);

        private bool Cons(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !Cons(i - 1),
            _ => true,
        };

        /// <summary>m(), the number of consonant-vowel sequences in <c>b[0..j]</c>.</summary>
        private int M()
        {
            var n = 0;
            var i = 0;
            while (true)
            {
                if (i > _j)
                {
                    return n;
                }

                if (!Cons(i))
                {
                    break;
                }

                i++;
            }

            i++;
            while (true)
            {
                while (true)
                {
                    if (i > _j)
                    {
                        return n;
                    }

                    if (Cons(i))
                    {
                        break;
                    }

                    i++;
                }

                i++;
                n++;
                while (true)
                {
                    if (i > _j)
                    {
                        return n;
                    }

                    if (!Cons(i))
                    {
                        break;
                    }

                    i++;
                }

                i++;
            }
        }

        /// <summary>A vowel in <c>b[0..j]</c>.</summary>
        private bool VowelInStem()
        {
            for (var i = 0; i <= _j; i++)
            {
                if (!Cons(i))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A double consonant at <c>j</c>.</summary>
        private bool DoubleC(int j) => j >= 1 && _b[j] == _b[j - 1] && Cons(j);

        /// <summary>consonant-vowel-consonant at i-2..i, the last not w, x or y (e.g. -hop, not -how).</summary>
        private bool Cvc(int i)
        {
            if (i < 2 || !Cons(i) || Cons(i - 1) || !Cons(i - 2))
            {
                return false;
            }

            return _b[i] is not ('w' or 'x' or 'y');
        }

        private bool Ends(string s)
        {
            var length = s.Length;
            if (length > _k + 1)
            {
                return false;
            }

            for (var i = 0; i < length; i++)
            {
                if (_b[_k - length + 1 + i] != s[i])
                {
                    return false;
                }
            }

            _j = _k - length;
            return true;
        }

        /// <summary>Replaces <c>b[j+1..k]</c> by <paramref name="s"/>.</summary>
        private void SetTo(string s)
        {
            for (var i = 0; i < s.Length; i++)
            {
                _b[_j + 1 + i] = s[i];
            }

            _k = _j + s.Length;
        }

        private void R(string s)
        {
            if (M() > 0)
            {
                SetTo(s);
            }
        }

        /// <summary>Plurals and -ed or -ing.</summary>
        public void Step1ab()
        {
            if (_b[_k] == 's')
            {
                if (Ends("sses"))
                {
                    _k -= 2;
                }
                else if (Ends("ies"))
                {
                    SetTo("i");
                }
                else if (_k >= 1 && _b[_k - 1] != 's')
                {
                    _k--;
                }
            }

            if (Ends("eed"))
            {
                if (M() > 0)
                {
                    _k--;
                }
            }
            else if ((Ends("ed") || Ends("ing")) && VowelInStem())
            {
                _k = _j;
                if (Ends("at"))
                {
                    SetTo("ate");
                }
                else if (Ends("bl"))
                {
                    SetTo("ble");
                }
                else if (Ends("iz"))
                {
                    SetTo("ize");
                }
                else if (DoubleC(_k))
                {
                    _k--;
                    if (_b[_k] is 'l' or 's' or 'z')
                    {
                        _k++;
                    }
                }
                else
                {
                    _j = _k;
                    if (M() == 1 && Cvc(_k))
                    {
                        SetTo("e");
                    }
                }
            }
        }

        /// <summary>Terminal y to i when there is another vowel in the stem.</summary>
        public void Step1c()
        {
            if (Ends("y") && VowelInStem())
            {
                _b[_k] = 'i';
            }
        }

        /// <summary>Double suffixes to single ones (-ization → -ize), when m() &gt; 0.</summary>
        public void Step2()
        {
            if (_k < 1)
            {
                return;
            }

            switch (_b[_k - 1])
            {
                case 'a':
                    if (Ends("ational")) { R("ate"); }
                    else if (Ends("tional")) { R("tion"); }
                    break;
                case 'c':
                    if (Ends("enci")) { R("ence"); }
                    else if (Ends("anci")) { R("ance"); }
                    break;
                case 'e':
                    if (Ends("izer")) { R("ize"); }
                    break;
                case 'l':
                    if (Ends("bli")) { R("ble"); }
                    else if (Ends("alli")) { R("al"); }
                    else if (Ends("entli")) { R("ent"); }
                    else if (Ends("eli")) { R("e"); }
                    else if (Ends("ousli")) { R("ous"); }
                    break;
                case 'o':
                    if (Ends("ization")) { R("ize"); }
                    else if (Ends("ation")) { R("ate"); }
                    else if (Ends("ator")) { R("ate"); }
                    break;
                case 's':
                    if (Ends("alism")) { R("al"); }
                    else if (Ends("iveness")) { R("ive"); }
                    else if (Ends("fulness")) { R("ful"); }
                    else if (Ends("ousness")) { R("ous"); }
                    break;
                case 't':
                    if (Ends("aliti")) { R("al"); }
                    else if (Ends("iviti")) { R("ive"); }
                    else if (Ends("biliti")) { R("ble"); }
                    break;
                case 'g':
                    if (Ends("logi")) { R("log"); }
                    break;
                default:
                    break;
            }
        }

        /// <summary>-ic-, -full, -ness and similar.</summary>
        public void Step3()
        {
            switch (_b[_k])
            {
                case 'e':
                    if (Ends("icate")) { R("ic"); }
                    else if (Ends("ative")) { R(string.Empty); }
                    else if (Ends("alize")) { R("al"); }
                    break;
                case 'i':
                    if (Ends("iciti")) { R("ic"); }
                    break;
                case 'l':
                    if (Ends("ical")) { R("ic"); }
                    else if (Ends("ful")) { R(string.Empty); }
                    break;
                case 's':
                    if (Ends("ness")) { R(string.Empty); }
                    break;
                default:
                    break;
            }
        }

        /// <summary>-ant, -ence and similar in context &lt;c&gt;vcvc&lt;v&gt;.</summary>
        public void Step4()
        {
            if (_k < 1)
            {
                return;
            }

            var found = _b[_k - 1] switch
            {
                'a' => Ends("al"),
                'c' => Ends("ance") || Ends("ence"),
                'e' => Ends("er"),
                'i' => Ends("ic"),
                'l' => Ends("able") || Ends("ible"),
                'n' => Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent"),
                'o' => (Ends("ion") && _j >= 0 && _b[_j] is 's' or 't') || Ends("ou"),
                's' => Ends("ism"),
                't' => Ends("ate") || Ends("iti"),
                'u' => Ends("ous"),
                'v' => Ends("ive"),
                'z' => Ends("ize"),
                _ => false,
            };

            if (found && M() > 1)
            {
                _k = _j;
            }
        }

        /// <summary>Removes a final -e if m() &gt; 1, and changes -ll to -l if m() &gt; 1.</summary>
        public void Step5()
        {
            _j = _k;
            if (_b[_k] == 'e')
            {
                var a = M();
                if (a > 1 || (a == 1 && !Cvc(_k - 1)))
                {
                    _k--;
                }
            }

            if (_b[_k] == 'l' && DoubleC(_k) && M() > 1)
            {
                _k--;
            }
        }
    }
}
