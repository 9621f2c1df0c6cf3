"""hadolint's own rule specs (test/Hadolint/Rule/*Spec.hs) as lint cases: each ruleCatches,
ruleCatchesNot, onBuildRuleCatches and onBuildRuleCatchesNot with the Dockerfile it names, under
hadolint's default configuration (an `it` block with a configuration of its own is left out).
Usage: python3 cases.py HADOLINT_CHECKOUT > cases.json"""
import re, json, subprocess, sys
repo=sys.argv[1]
files=subprocess.run(['git','-C',repo,'ls-tree','--name-only','HEAD','test/Hadolint/Rule/'],capture_output=True,text=True).stdout.split()
STR=r'"((?:[^"\\]|\\.)*)"'
def unesc(s):
    out=[];i=0
    while i<len(s):
        c=s[i]
        if c=='\\' and i+1<len(s):
            n=s[i+1]
            if n=='n': out.append('\n'); i+=2; continue
            if n=='t': out.append('\t'); i+=2; continue
            if n=='"': out.append('"'); i+=2; continue
            if n=='\\': out.append('\\'); i+=2; continue
            if n=='&': i+=2; continue
            if n.isdigit():
                m=re.match(r'\d+',s[i+1:]); out.append(chr(int(m.group()))); i+=1+len(m.group()); continue
            # string gap \   \ : skip whitespace
            if n.isspace():
                j=s.index('\\',i+1); i=j+1; continue
            out.append(n); i+=2; continue
        out.append(c); i+=1
    return ''.join(out)
cases=[]; skipped=0
for f in files:
    if not f.endswith('Spec.hs'): continue
    src=subprocess.run(['git','-C',repo,'show','HEAD:'+f],capture_output=True,text=True).stdout
    blocks=re.split(r'\n\s*it\s+"', src)
    seen=blocks[0]
    for b in blocks[1:]:
        # The configuration in force: the last `let ?config = ...` before this `it` (its value may start
        # on the next line); anything but hadolint's plain default leaves the block out.
        sets=re.findall(r'let\s+\?config\s*=\s*(\S+\s*\S?)', seen)
        seen+=b
        if sets and not re.fullmatch(r'def\s*[^{]?', sets[-1]):
            skipped+=b.count('uleCatches'); continue
        name=b.split('"',1)[0]
        if '?config' in b or 'withConfig' in b:
            skipped+=b.count('uleCatches'); continue
        lists={}
        for m in re.finditer(r'let\s+(\w+)\s*=\s*\[(.*?)\]\s*\n', b, re.S):
            lists[m.group(1)]=[unesc(x) for x in re.findall(STR, m.group(2))]
        for m in re.finditer(r'(onBuildRuleCatchesNot|onBuildRuleCatches|ruleCatchesNot|ruleCatches)\s+"([A-Z]+\d+)"\s+(\$\s*Text\.unlines\s+(\w+)|'+STR+')', b):
            kind,code=m.group(1),m.group(2)
            if m.group(4): 
                if m.group(4) not in lists: skipped+=1; continue
                text='\n'.join(lists[m.group(4)])+'\n'
            else:
                text=unesc(m.group(5))
            onbuild=kind.startswith('onBuild')
            if onbuild:
                text='\n'.join(('ONBUILD '+l if re.match(r'\s*RUN\b',l,re.I) else l) for l in text.split('\n'))
            cases.append({'file':f.split('/')[-1],'it':name,'code':code,'catches':not kind.endswith('Not'),'onbuild':onbuild,'text':text})
json.dump(cases,sys.stdout,indent=0)
print(len(cases),'cases;',skipped,'left out (a configuration of their own, or a Dockerfile not found)',file=sys.stderr)
