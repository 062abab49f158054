// Remakes generator/analysis/data/strokes.txt: each character's stroke order as the five basic strokes
// 横1 竖2 撇3 点4 折5 (现代汉语通用字笔顺规范: 提 counts as 横, 竖钩 as 竖, 捺 as 点, every other hook or turn as 折).
// Source: the npm packages cnchar and cnchar-order 3.2.6 (MIT, https://github.com/theajack/cnchar).
//   npm install cnchar@3.2.6 cnchar-order@3.2.6 && node tools/make_strokes.js > generator/analysis/data/strokes.txt
const cnchar = require('cnchar');
cnchar.use(require('cnchar-order'));
const CLASS = {'横': 1, '提': 1, '竖': 2, '竖钩': 2, '撇': 3, '点': 4, '点2': 4, '捺': 4};
const lines = [];
for (let c = 0x3400; c <= 0x9FFF; c++) {
  const ch = String.fromCodePoint(c);
  const r = cnchar.stroke(ch, 'order', 'name');
  if (Array.isArray(r) && Array.isArray(r[0]) && r[0].length) {
    lines.push(ch + r[0].map((name) => CLASS[name] || 5).join(''));
  }
}
console.log('# 汉字笔顺（横1 竖2 撇3 点4 折5），由 tools/make_strokes.js 从 cnchar-order 3.2.6（MIT）生成，请勿手改');
console.log(lines.join('\n'));
